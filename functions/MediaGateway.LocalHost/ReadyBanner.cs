using MediaGateway.GpuRunner;

namespace MediaGateway.LocalHost;

/// <summary>Tells the person at the terminal when searches will be answered, how to try one, and the local function key.</summary>
internal sealed class ReadyBanner(EngineHost engine, IConfiguration configuration, LocalFunctionKey functionKey, ILogger<ReadyBanner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await engine.WhenReady(stoppingToken);
        var url = (configuration["urls"] ?? "http://localhost:7071").Split(';')[0];
        logger.LogInformation("MediaGateway is ready at {Url}. Try: curl -s {Url}/api/v1/search -H 'Content-Type: application/json' -d '{{\"query\":\"star wars\",\"limit\":3}}'", url, url);
        if (functionKey.IsGenerated)
            logger.LogInformation("Routes that need a function key (GET /api/v1/health/details) take this one until the gateway stops: -H '{Header}: {Key}' (set {Setting} to choose it).",
                LocalFunctionKey.Header, functionKey.Value, LocalFunctionKey.ConfigurationKey);
    }
}
