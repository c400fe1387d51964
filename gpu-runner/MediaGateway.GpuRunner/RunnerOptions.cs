namespace MediaGateway.GpuRunner;

/// <summary>Queue-consumer settings, bound from <c>MediaGateway:Runner</c>.</summary>
public sealed class RunnerOptions
{
    public const string Section = "MediaGateway:Runner";

    /// <summary>The most messages a storage queue hands out per receive.</summary>
    public const int MaxBatchSize = 32;

    /// <summary>Messages taken per receive; all of them are embedded and searched as one batch (1–<see cref="MaxBatchSize"/>, checked at start).</summary>
    public int BatchSize { get; set; } = MaxBatchSize;

    /// <summary>
    /// Batches handled at once: while one is searched, the next is received, admitted and embedded, and the one before
    /// has its results written. With one, the receive waited for each batch to finish and a core stood idle while a
    /// batch ran its single-threaded stages or waited on storage. The engine bounds how many it searches at once
    /// (<c>Engine:ConcurrentBatches</c>); messages held in flight are at most this × <see cref="BatchSize"/>.
    /// </summary>
    public int BatchesInFlight { get; set; } = 2;

    /// <summary>
    /// After a receive that found fewer than <see cref="BatchSize"/> messages, how long to wait for more before
    /// searching (one more receive), so that requests arriving together share a batch. Only while they do: when this
    /// receive and the batch before it held one message each, the runner searches at once (sequential callers never
    /// wait, and on Azure Storage never pay the second receive's round trip). 0 (the default) never waits: with
    /// <see cref="BatchesInFlight"/> batches running, requests queue behind them and the next receive takes them all,
    /// and the 1 ms wait measured 0.98–0.89× the requests/s of none at 16 connections on two cores, Azurite within
    /// noise (docs/performance.md, "No batch wait").
    /// </summary>
    public TimeSpan MaxBatchWait { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// The lease on a received message: how long it stays invisible to other runners. Short, so a dead runner's jobs
    /// come back within it; renewed every third of it while its batch or import runs, so long work is never handed
    /// to a second runner mid-run (see <c>LeaseKeeper</c>).
    /// </summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>After this many failed attempts a message goes to the poison queue and its job is marked failed.</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>
    /// Wait between receives while the queue is empty. It stays this short for <see cref="IdleBackoffAfter"/>
    /// after the last message (requests come in runs, and a request arriving 100 ms after the previous one
    /// should not wait for a doubled interval), then doubles while the queue stays empty, up to
    /// <see cref="MaxIdleDelay"/>, and drops back the moment work arrives. The in-process queue wakes the
    /// runner at once whatever the wait; on Azure each empty receive is one queue transaction: at most
    /// IdleBackoffAfter / IdleDelay (200) of them after each run of traffic, then one per MaxIdleDelay.
    /// </summary>
    public TimeSpan IdleDelay { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>How long after the last message the receive loop keeps polling every <see cref="IdleDelay"/>.</summary>
    public TimeSpan IdleBackoffAfter { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxIdleDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Each server check the heartbeat carries (Milvus, Neo4j) is cut off after this and reported unhealthy, "timed out":
    /// a server that hangs must not hold the heartbeat back, or the runner would look gone.
    /// </summary>
    public TimeSpan DependencyCheckTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How often a runner reads the "current catalog" pointer to pick up a catalog another replica imported (one small
    /// blob read per runner each time). A replica serves the new catalog within this plus the time to build it.
    /// </summary>
    public TimeSpan CatalogPollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Job records and cache-key claims older than this are deleted from the jobs table (Azure only; keep it at or
    /// above the gateway's <c>JobRetention</c>, which stops serving them at 24 h, and the results' lifecycle rule).
    /// </summary>
    public TimeSpan JobRecordRetention { get; set; } = TimeSpan.FromHours(25);

    /// <summary>How often a runner deletes expired job records (each replica does; a record goes once, to whichever is first).</summary>
    public TimeSpan JobSweepInterval { get; set; } = TimeSpan.FromHours(1);
}
