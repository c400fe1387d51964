using MediaGateway.Contracts.Jobs;

namespace MediaGateway.Functions.Search;

/// <summary>
/// What the gateway knows of the runners from their heartbeats (the most recent runner's): the catalog version they
/// serve now, and whether they have gone silent. Read from the store at most once per
/// <see cref="GatewayOptions.CatalogVersionRefresh"/>, so a search costs no extra read.
/// </summary>
public sealed class RunnerHeartbeat(IResultStore store, GatewayOptions options, TimeProvider time)
{
    private sealed record Snapshot(string? Version, DateTimeOffset? LastSeen, DateTimeOffset ReadAt);

    private Snapshot? _last;

    public async Task<string?> CatalogVersionAsync(CancellationToken cancellationToken) => (await ReadAsync(cancellationToken)).Version;

    /// <summary>
    /// A runner has reported, but not within <see cref="GatewayOptions.RunnerHeartbeatTimeout"/>: no one is taking jobs
    /// now (health says Unhealthy). False when none has ever reported (a first start, or stores without heartbeats).
    /// </summary>
    public async Task<bool> IsSilentAsync(CancellationToken cancellationToken) =>
        (await ReadAsync(cancellationToken)).LastSeen is { } seen && time.GetUtcNow() - seen > options.RunnerHeartbeatTimeout;

    /// <summary>A result came from another version than the one known here: read the heartbeat again at the next search.</summary>
    public void Invalidate() => Volatile.Write(ref _last, null);

    private async Task<Snapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var last = Volatile.Read(ref _last);
        var now = time.GetUtcNow();
        if (last is not null && now - last.ReadAt < options.CatalogVersionRefresh) return last;
        var status = await store.GetRunnerStatusAsync(cancellationToken);
        var snapshot = new Snapshot(status?.CatalogVersion, status?.LastSeen, now);
        Volatile.Write(ref _last, snapshot);
        return snapshot;
    }
}
