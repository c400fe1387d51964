using MediaGateway.Contracts;
using Microsoft.Extensions.Options;

namespace MediaGateway.GpuRunner;

/// <summary>
/// Keeps this replica on the catalog in service: every <see cref="RunnerOptions.CatalogPollInterval"/> it reads the
/// "current catalog" pointer (one small blob read) and, when an import on another replica has published a newer one,
/// builds an engine over it beside the one serving and swaps it in atomically, then reports the new version in a
/// heartbeat (the gateway keys its cache by it). Searches go on on the old engine until the swap.
/// </summary>
internal sealed class CatalogWatcher(EngineHost host, PublishedCatalogLoader loader, HeartbeatService heartbeat, IOptions<RunnerOptions> options, TimeProvider time,
    ILogger<CatalogWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await host.WhenReady(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return; // the engine never started: there is nothing to keep current
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CatchUpAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning("Could not check for a newer published catalog ({Error}); trying again in {Seconds:F0} s",
                    SafeText.Escape(e.Message), options.Value.CatalogPollInterval.TotalSeconds);
            }
            await Task.Delay(options.Value.CatalogPollInterval, time, stoppingToken);
        }
    }

    /// <summary>Loads the published catalog if it is newer than the one in service; true when it swapped one in.</summary>
    internal async Task<bool> CatchUpAsync(CancellationToken cancellationToken)
    {
        if (!IsNewer(await loader.GetCurrentAsync(cancellationToken))) return false;
        await host.CatalogChanges.WaitAsync(cancellationToken);
        try
        {
            // Read again under the gate: an import here may have put it (or a newer one) in service meanwhile.
            if (await loader.GetCurrentAsync(cancellationToken) is not { } published || !IsNewer(published)) return false;
            var engine = await loader.BuildAsync(published, null, cancellationToken);
            if (host.Swap(engine, published) is not { } previous) return false;
            logger.LogInformation("Published catalog {CatalogId} (#{Sequence}) in service: version {Previous} replaced by {Version} ({Items} items)",
                published.CatalogId, published.Sequence, previous.CatalogVersion, engine.CatalogVersion, engine.CatalogCount);
            await heartbeat.BeatAsync(cancellationToken);
            return true;
        }
        finally
        {
            host.CatalogChanges.Release();
        }
    }

    private bool IsNewer(MediaGateway.Contracts.Imports.PublishedCatalog? published) =>
        published is not null && published.Sequence > (host.Published?.Sequence ?? 0);
}
