using MediaGateway.Functions.Batches;
using MediaGateway.Functions.Health;
using MediaGateway.Functions.Http;
using MediaGateway.Functions.Imports;
using MediaGateway.Functions.Search;
using MediaGateway.Functions.Security;
using MediaGateway.Functions.Telemetry;
using MediaGateway.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MediaGateway.Functions;

public static class GatewayRegistration
{
    /// <summary>
    /// The gateway's services and function classes. Used by the Functions host (Program.cs) and by the
    /// local all-in-one host, so both run the same code.
    /// </summary>
    public static IServiceCollection AddGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMediaGatewayStorage(configuration);
        services.Configure<GatewayOptions>(configuration.GetSection(GatewayOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<GatewayMetrics>();
        services.TryAddSingleton<SearchGateway>();
        services.Configure<RateLimitOptions>(configuration.GetSection(RateLimitOptions.Section));
        services.TryAddSingleton<ClientRateLimiter>();
        services.TryAddTransient<SearchFunctions>();
        services.TryAddTransient<DiscoveryFunctions>();
        services.TryAddTransient<HealthFunction>();
        services.Configure<BatchOptions>(configuration.GetSection(BatchOptions.Section));
        services.TryAddSingleton<BatchGateway>();
        services.TryAddSingleton<BatchRunner>();
        services.TryAddTransient<BatchFunctions>();
        services.TryAddTransient<BatchQueueFunction>();
        services.TryAddTransient<OpenApi.OpenApiFunction>();
        services.TryAddSingleton<CatalogImportGateway>();
        services.TryAddTransient<CatalogImportFunctions>();
        // Every check is cut off after its timeout and reported as timed out, so /health answers in bounded
        // time even while storage hangs.
        var timeout = configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>()?.HealthCheckTimeout ?? new GatewayOptions().HealthCheckTimeout;
        services.AddHealthChecks()
            .AddCheck<QueueHealthCheck>("queue", failureStatus: null, tags: [], timeout: timeout)
            .AddCheck<RunnerHealthCheck>("gpuRunner", failureStatus: null, tags: [], timeout: timeout);
        return services;
    }
}
