using MediaGateway.Contracts.Imports;

namespace MediaGateway.Storage;

/// <summary>
/// <see cref="ICatalogVersionStore"/> in this process, for the embedded default, where gateway and runner share one
/// process and all storage lives (and ends) with it. Keeps the latest few published files.
/// </summary>
public sealed class InProcessCatalogVersionStore : ICatalogVersionStore
{
    /// <summary>Files kept: the current one and a few before it (a runner may still be loading one of those).</summary>
    public const int MaxFiles = 4;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private PublishedCatalog? _current;

    public Task<PublishedCatalog?> GetCurrentAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate) return Task.FromResult(_current);
    }

    public Task<byte[]?> GetFileAsync(string catalogId, CancellationToken cancellationToken = default)
    {
        lock (_gate) return Task.FromResult(_files.GetValueOrDefault(catalogId));
    }

    public Task<bool> TryPublishAsync(PublishedCatalog next, ReadOnlyMemory<byte> file, PublishedCatalog? replacing, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_current != replacing) return Task.FromResult(false);
            if (_files.TryAdd(next.CatalogId, file.ToArray())) _order.Enqueue(next.CatalogId);
            while (_order.Count > MaxFiles) _files.Remove(_order.Dequeue());
            _current = next;
            return Task.FromResult(true);
        }
    }
}
