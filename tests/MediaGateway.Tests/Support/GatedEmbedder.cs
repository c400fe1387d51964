using MediaGateway.Engine.Embedding;

namespace MediaGateway.Tests.Support;

/// <summary>
/// Wraps an embedder; once <see cref="Gating"/> is set, holds every call until <see cref="Release"/> lets it through,
/// counting how many are held at once: tells how many batches reach the model together.
/// </summary>
public sealed class GatedEmbedder(IEmbedder inner) : IEmbedder
{
    private readonly SemaphoreSlim _release = new(0);
    private int _held, _maxHeld;

    public volatile bool Gating;

    public int Held => Volatile.Read(ref _held);

    public int MaxHeld => Volatile.Read(ref _maxHeld);

    public string ModelId => inner.ModelId;

    public int Dimension => inner.Dimension;

    public void Release(int count) => _release.Release(count);

    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        if (!Gating) return inner.Embed(texts, cancellationToken);
        var held = Interlocked.Increment(ref _held);
        for (var max = _maxHeld; held > max; max = _maxHeld) Interlocked.CompareExchange(ref _maxHeld, held, max);
        try
        {
            _release.Wait(cancellationToken);
            return inner.Embed(texts, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _held);
        }
    }
}
