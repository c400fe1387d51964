namespace MediaGateway.Functions.Search;

/// <summary>Gateway settings, bound from <c>MediaGateway:Gateway</c>.</summary>
public sealed class GatewayOptions
{
    public const string Section = "MediaGateway:Gateway";

    /// <summary>How long a search request waits for its result before answering 202 with a job to poll.</summary>
    public TimeSpan WaitForResult { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>First wait between reads of the job while waiting; it grows by half each time up to <see cref="MaxPollInterval"/>.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A stored result younger than this answers a repeated request without searching again.</summary>
    public TimeSpan ResultTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A queued or running job older than this is presumed lost and is enqueued again.</summary>
    public TimeSpan PendingStaleAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Bound on the in-memory result cache, in entries.</summary>
    public int ResultCacheEntries { get; set; } = 1_000;

    /// <summary>Bound on requests waiting for a result at once; beyond it requests get 202 at once.</summary>
    public int MaxConcurrentWaits { get; set; } = 64;

    /// <summary>A runner heartbeat older than this makes the health endpoint report the runner as missing.</summary>
    public TimeSpan RunnerHeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
