using MediaGateway.Engine.Pipeline;

namespace MediaGateway.GpuRunner;

/// <summary>Builds the engine in the background at start, logging progress, so the host (and health) come up at once.</summary>
internal sealed class EngineStartupService(EngineFactory factory, EngineHost host, Microsoft.Extensions.Options.IOptions<EngineOptions> options,
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
            host.SetReady(await factory.CreateAsync(options.Value, progress, stoppingToken));
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
}
