using MediaGateway.GpuRunner;

namespace MediaGateway.LocalHost;

/// <summary>Tells the person at the terminal when searches will be answered, how to try one, and the local function key.</summary>
internal sealed class ReadyBanner(IServiceProvider services, IConfiguration configuration, LocalFunctionKey functionKey, ILogger<ReadyBanner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A gateway-only host has no engine: it is ready at once. A runner-only host has no routes to try.
        if (services.GetService<EngineHost>() is { } engine) await engine.WhenReady(stoppingToken);
        var url = (configuration["urls"] ?? "http://localhost:7071").Split(';')[0];
        if (LocalRoles.Parse(configuration[LocalRoles.ConfigurationKey]) == LocalRole.Runner)
        {
            logger.LogInformation("MediaGateway runner is ready (probes at {Url}/readyz); it takes searches from the storage queue.", url);
            return;
        }
        logger.LogInformation("MediaGateway is ready at {Url}. Try: curl -s {Url}/api/v1/search -H 'Content-Type: application/json' -d '{{\"query\":\"star wars\",\"limit\":3}}'", url, url);
        if (functionKey.IsGenerated)
            logger.LogInformation("Routes that need a function key (health details, batch search, catalog imports) take this one until the gateway stops: -H '{Header}: {Key}' (set {Setting} to choose it).",
                LocalFunctionKey.Header, functionKey.Value, LocalFunctionKey.ConfigurationKey);
    }
}
