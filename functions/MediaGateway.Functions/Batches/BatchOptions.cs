namespace MediaGateway.Functions.Batches;

/// <summary>How batch searches are run, bound from <c>MediaGateway:Batch</c>.</summary>
public sealed class BatchOptions
{
    public const string Section = "MediaGateway:Batch";

    /// <summary>
    /// Queries dispatched together: the runner's batch size, so a chunk becomes one engine batch (one model call,
    /// one kernel call).
    /// </summary>
    public int ChunkSize { get; set; } = 32;

    /// <summary>
    /// Chunks in flight at once: two keep the runner busy while a finished chunk is collected, and leave the search
    /// queue short, so interactive searches queued meanwhile wait for at most two chunks, not a whole batch.
    /// </summary>
    public int ChunksInFlight { get; set; } = 2;

    /// <summary>
    /// How long one query may stay unanswered before this attempt at the batch gives up (no runner, most likely);
    /// the message is then retried, and the queries answered meanwhile come from the cache.
    /// </summary>
    public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts at a batch message before it goes to the poison queue and its batch is failed; equals host.json's <c>queues.maxDequeueCount</c> (a test checks).</summary>
    public int MaxDequeueCount { get; set; } = 5;
}
