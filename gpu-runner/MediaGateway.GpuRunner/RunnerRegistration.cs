using MediaGateway.Engine.Embedding;
using MediaGateway.Engine.Kernels;
using MediaGateway.Engine.Pipeline;
using MediaGateway.Storage;
using MediaGateway.VectorStores.Milvus;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MediaGateway.GpuRunner;

public static class RunnerRegistration
{
    /// <summary>
    /// Everything the runner needs: storage seams, the engine (built in the background at start) and the
    /// queue worker. Used by the runner's own host and by the local all-in-one host.
    /// </summary>
    public static IServiceCollection AddGpuRunner(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMediaGatewayStorage(configuration);
        services.Configure<RunnerOptions>(configuration.GetSection(RunnerOptions.Section));
        services.Configure<EngineOptions>(configuration.GetSection(EngineOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IEmbedder, MiniLmEmbedder>();
        services.TryAddSingleton<ICudaBackendFactory, MediaGateway.Engine.Kernels.Cuda.CudaBackendFactory>();
        services.TryAddSingleton<KernelBackendSelector>();
        services.AddMilvusVectorStore(configuration); // used when MediaGateway:Engine:VectorStore is Milvus
        services.TryAddSingleton<EngineFactory>();
        services.TryAddSingleton<EngineHost>();
        services.TryAddSingleton<JobProcessor>();
        services.AddHostedService<EngineStartupService>();
        services.AddHostedService<QueueWorker>();
        services.TryAddSingleton<HeartbeatService>();
        services.AddHostedService(sp => sp.GetRequiredService<HeartbeatService>());
        services.TryAddSingleton<CatalogImportProcessor>();
        return services;
    }

    /// <summary>Liveness and readiness for container probes: /healthz answers while the process runs, /readyz once the engine is ready.</summary>
    public static IEndpointRouteBuilder MapRunnerProbes(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", (EngineHost host) => Results.Json(new { status = "alive", engine = host.State }));
        endpoints.MapGet("/readyz", (EngineHost host) => host.Engine is { } engine
            ? Results.Json(new { status = "ready", backend = engine.BackendName, reason = engine.BackendReason, catalogItems = engine.CatalogCount, vectorStore = engine.VectorStoreKind })
            : Results.Json(new { status = "not ready", engine = host.State }, statusCode: StatusCodes.Status503ServiceUnavailable));
        return endpoints;
    }
}
