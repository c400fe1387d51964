using MediaGateway.Contracts.Jobs;

namespace MediaGateway.Functions.Search;

/// <summary>
/// The catalog version the runners serve now, as their heartbeats report it (the most recent runner's), read from
/// the store at most once per <see cref="GatewayOptions.CatalogVersionRefresh"/> so a search costs no extra read.
/// </summary>
public sealed class ServedCatalogVersion(IResultStore store, GatewayOptions options, TimeProvider time)
{
    private sealed record Snapshot(string? Version, DateTimeOffset ReadAt);

    private Snapshot? _last;

    public async Task<string?> CurrentAsync(CancellationToken cancellationToken)
    {
        var last = Volatile.Read(ref _last);
        var now = time.GetUtcNow();
        if (last is not null && now - last.ReadAt < options.CatalogVersionRefresh) return last.Version;
        var version = (await store.GetRunnerStatusAsync(cancellationToken))?.CatalogVersion;
        Volatile.Write(ref _last, new Snapshot(version, now));
        return version;
    }

    /// <summary>A result came from another version than the one known here: read the version again at the next search.</summary>
    public void Invalidate() => Volatile.Write(ref _last, null);
}
