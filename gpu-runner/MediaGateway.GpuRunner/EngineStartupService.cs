using MediaGateway.Engine.Pipeline;

namespace MediaGateway.GpuRunner;

/// <summary>Builds the engine in the background at start, logging progress, so the host (and health) come up at once.</summary>
/// It serves the catalog an import published last (every replica, and every restart), else the configured one.
internal sealed class EngineStartupService(EngineFactory factory, EngineHost host, PublishedCatalogLoader published, Microsoft.Extensions.Options.IOptions<EngineOptions> options,
    ILogger<EngineStartupService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastPercent = -1;
        var progress = new Progress<EngineStartupProgress>(p =>
        {
            var percent = p.Total == 0 ? 100 : p.Done * 100 / p.Total;
            host.Report($"{p.Stage} {p.Done}/{p.Total}");
            if (percent / 10 != lastPercent / 10)
            {
                lastPercent = percent;
                logger.LogInformation("Start-up: {Stage} {Done}/{Total} ({Percent}%)", p.Stage, p.Done, p.Total, percent);
            }
        });
        try
        {
            host.Report("importing catalog");
            if (await CurrentPublishedAsync(stoppingToken) is { } current)
            {
                try
                {
                    host.SetReady(await published.BuildAsync(current, progress, stoppingToken), current);
                    return;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError("The published catalog {CatalogId} could not be loaded ({Error}); serving the configured catalog", current.CatalogId, e.Message);
                }
            }
            host.SetReady(await factory.CreateAsync(options.Value, progress, stoppingToken), null);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogCritical(e, "The engine could not start: {Message}", e.Message);
            host.SetFailed(e);
        }
    }

    /// <summary>
    /// The published catalog, or null. Storage unreachable at start: the configured catalog is served meanwhile and
    /// the <see cref="CatalogWatcher"/> moves to the published one once it can read it.
    /// </summary>
    private async Task<MediaGateway.Contracts.Imports.PublishedCatalog?> CurrentPublishedAsync(CancellationToken stoppingToken)
    {
        try
        {
            return await published.GetCurrentAsync(stoppingToken).WaitAsync(TimeSpan.FromSeconds(30), stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            logger.LogError("Could not read which catalog is published ({Error}); serving the configured catalog until it can", e.Message);
            return null;
        }
    }
}
