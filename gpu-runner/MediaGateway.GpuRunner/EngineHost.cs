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

    public SearchEngine? Engine => _ready.Task.IsCompletedSuccessfully ? _ready.Task.Result : null;

    public Exception? Failure => _ready.Task.Exception?.InnerException;

    public Task<SearchEngine> WhenReady(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    /// <summary>When the queue worker last finished a batch; the heartbeat carries it to the health endpoint.</summary>
    public DateTimeOffset? LastBatchAt { get; private set; }

    internal void Report(string state) => State = state;

    internal void ReportBatch(DateTimeOffset at) => LastBatchAt = at;

    internal void SetReady(SearchEngine engine)
    {
        State = "ready";
        _ready.TrySetResult(engine);
    }

    internal void SetFailed(Exception e)
    {
        State = $"failed: {e.Message}";
        _ready.TrySetException(e);
    }
}
