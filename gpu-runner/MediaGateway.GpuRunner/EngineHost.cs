using System.Runtime.CompilerServices;
using MediaGateway.Contracts.Imports;
using MediaGateway.Engine.Pipeline;

namespace MediaGateway.GpuRunner;

/// <summary>
/// Holds the engine once start-up has built it, and what start-up is doing until then, so the queue
/// worker can wait for it and health checks can report progress or the failure.
/// </summary>
public sealed class EngineHost
{
    private readonly TaskCompletionSource<SearchEngine> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string State { get; private set; } = "starting";

    private SearchEngine? _current;

    /// <summary>
    /// The engine that takes new work: the one start-up built, or the last one a catalog import swapped in. A batch
    /// reads it once, so searches in flight finish on the engine they started on.
    /// </summary>
    public SearchEngine? Engine => Volatile.Read(ref _current);

    public Exception? Failure => _ready.Task.Exception?.InnerException;

    public Task<SearchEngine> WhenReady(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    /// <summary>When the queue worker last finished a batch; the heartbeat carries it to the health endpoint.</summary>
    public DateTimeOffset? LastBatchAt => Volatile.Read(ref _lastBatchAt) is { } at ? at.Value : null;

    // Batches finish on several threads (Runner:BatchesInFlight): the time is swapped whole, never read half-written.
    private StrongBox<DateTimeOffset>? _lastBatchAt;

    internal void Report(string state) => State = state;

    internal void ReportBatch(DateTimeOffset at) => Volatile.Write(ref _lastBatchAt, new StrongBox<DateTimeOffset>(at));

    internal void SetReady(SearchEngine engine)
    {
        State = "ready";
        Volatile.Write(ref _current, engine);
        _ready.TrySetResult(engine);
    }

    private readonly Lock _swap = new();

    /// <summary>The published (imported) catalog the engine in service was built from; null while it is the configured one.</summary>
    public PublishedCatalog? Published { get; private set; }

    /// <summary>
    /// Catalog changes (an import here, or loading one another replica published) run one at a time: the import
    /// processor and the <see cref="CatalogWatcher"/> both hold this while they build and swap.
    /// </summary>
    internal SemaphoreSlim CatalogChanges { get; } = new(1, 1);

    /// <summary>
    /// Puts <paramref name="engine"/>, built from <paramref name="published"/>, in service in one reference write,
    /// unless a catalog published later is in service already (replicas only ever move forward). Returns the engine
    /// it replaced, or null when it declined.
    /// </summary>
    internal SearchEngine? Swap(SearchEngine engine, PublishedCatalog published)
    {
        lock (_swap)
        {
            if (Published is { } inService && inService.Sequence >= published.Sequence) return null;
            Published = published;
            return Interlocked.Exchange(ref _current, engine);
        }
    }

    internal void SetReady(SearchEngine engine, PublishedCatalog? published)
    {
        lock (_swap) Published = published;
        SetReady(engine);
    }

    internal void SetFailed(Exception e)
    {
        State = $"failed: {e.Message}";
        _ready.TrySetException(e);
    }
}
