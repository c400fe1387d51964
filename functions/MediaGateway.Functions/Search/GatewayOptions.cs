namespace MediaGateway.Functions.Search;

/// <summary>Gateway settings, bound from <c>MediaGateway:Gateway</c>.</summary>
public sealed class GatewayOptions
{
    public const string Section = "MediaGateway:Gateway";

    /// <summary>How long a search request waits for its result before answering 202 with a job to poll.</summary>
    public TimeSpan WaitForResult { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// On Azure Storage, the wait between reads of the job while waiting: constant for
    /// <see cref="PollBackoffAfter"/>, then growing by half each time up to <see cref="MaxPollInterval"/>. Each
    /// read is one table transaction (see docs/performance.md for the cost). The in-process store does not
    /// poll: it wakes the waiter when the result is written.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>How long the waiter reads every <see cref="PollInterval"/> before backing off (most searches finish well within it).</summary>
    public TimeSpan PollBackoffAfter { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>
    /// The job reads per second that all of this instance's waiters share: with many waiting, each reads less
    /// often. An Azure storage account serves 20,000 requests a second across every gateway instance and runner;
    /// 400 per instance leaves room for dozens of instances.
    /// </summary>
    public double PollReadsPerSecond { get; set; } = 400;

    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>A stored result younger than this answers a repeated request without searching again.</summary>
    public TimeSpan ResultTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A queued or running job older than this is presumed lost and is enqueued again.</summary>
    public TimeSpan PendingStaleAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A job (record and result) older than this is gone: <c>GET /api/v1/jobs/{id}</c> answers 404.</summary>
    public TimeSpan JobRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Bound on the in-memory result cache, in entries.</summary>
    public int ResultCacheEntries { get; set; } = 1_000;

    /// <summary>Bound on requests waiting for a result at once; beyond it requests get 202 at once.</summary>
    public int MaxConcurrentWaits { get; set; } = 64;

    /// <summary>A runner heartbeat older than this makes the health endpoint report the runner as missing (3 × its 5 s interval).</summary>
    public TimeSpan RunnerHeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How often the catalog version that runners serve (part of every cache key) is read again from their heartbeats:
    /// after a catalog change, results of the old catalog stop being served within this plus one heartbeat.
    /// </summary>
    public TimeSpan CatalogVersionRefresh { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Each health check (queue, store, runner) is cut off after this and reported as timed out.</summary>
    public TimeSpan HealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(3);
}
