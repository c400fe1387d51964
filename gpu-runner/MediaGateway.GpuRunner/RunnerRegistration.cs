using MediaGateway.Engine.Embedding;
using MediaGateway.Engine.Kernels;
using MediaGateway.Engine.Pipeline;
using MediaGateway.Engine.Snapshots;
using MediaGateway.Storage;
using MediaGateway.OntologyStores.Neo4j;
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
        // A storage queue hands out at most 32 messages per receive (Azure clamps more without a word): refused at start.
        services.AddOptions<RunnerOptions>().Bind(configuration.GetSection(RunnerOptions.Section))
            .Validate(o => o.BatchSize is >= 1 and <= RunnerOptions.MaxBatchSize, $"{RunnerOptions.Section}:BatchSize must be 1–{RunnerOptions.MaxBatchSize}: a storage queue hands out at most {RunnerOptions.MaxBatchSize} messages per receive.")
            .ValidateOnStart();
        services.Configure<EngineOptions>(configuration.GetSection(EngineOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IEmbedder>(provider =>
        {
            var engine = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<EngineOptions>>().Value;
            return Embedders.Create(engine.EmbeddingModel, textsPerRun: engine.TextsPerModelRun);
        });
        services.TryAddSingleton<ICudaBackendFactory, MediaGateway.Engine.Kernels.Cuda.CudaBackendFactory>();
        services.TryAddSingleton<KernelBackendSelector>();
        services.AddMilvusVectorStore(configuration); // used when MediaGateway:Engine:VectorStore is Milvus
        services.AddNeo4jOntologyStore(configuration); // used when MediaGateway:Engine:OntologyStore is Neo4j
        AddIndexSnapshots(services, configuration);
        services.TryAddSingleton<EngineFactory>();
        services.TryAddSingleton<EngineHost>();
        services.AddMetrics();
        services.TryAddSingleton<GpuRunner.Telemetry.RunnerMetrics>();
        services.TryAddSingleton<JobProcessor>();
        services.AddHostedService<EngineStartupService>();
        services.AddHostedService<QueueWorker>();
        services.TryAddSingleton<HeartbeatService>();
        services.AddHostedService(sp => sp.GetRequiredService<HeartbeatService>());
        services.TryAddSingleton<CatalogImportProcessor>();
        services.TryAddSingleton<PublishedCatalogLoader>();
        services.AddHostedService<CatalogWatcher>();
        if (configuration.GetValue(StorageRegistration.ModeKey, StorageMode.Azure) == StorageMode.Azure)
            services.AddHostedService<ExpiredJobSweeper>(); // the in-process store bounds itself
        return services;
    }

    /// <summary>
    /// Where the engine finds and saves index snapshots: the <c>index-snapshots</c> container on Azure Storage
    /// (Azurite too), a local folder on the embedded default; none when <c>MediaGateway:Engine:IndexSnapshots</c> is false.
    /// </summary>
    private static void AddIndexSnapshots(IServiceCollection services, IConfiguration configuration)
    {
        var engine = configuration.GetSection(EngineOptions.Section).Get<EngineOptions>() ?? new EngineOptions();
        if (!engine.IndexSnapshots) return;
        if (configuration.GetValue(StorageRegistration.ModeKey, StorageMode.Azure) == StorageMode.InProcess)
        {
            var folder = engine.IndexSnapshotPath ?? Path.Combine(EngineOptions.FindRepositoryRoot() ?? Path.GetTempPath(), ".data", "index-snapshots");
            services.TryAddSingleton<IIndexSnapshotStore>(new FolderSnapshotStore(folder));
        }
        else
        {
            services.TryAddSingleton<IIndexSnapshotStore>(sp => new BlobSnapshotStore(
                sp.GetRequiredService<StorageClients>().Container(MediaGateway.Contracts.Jobs.StorageNames.IndexSnapshotsContainer),
                sp.GetRequiredService<ILogger<BlobSnapshotStore>>()));
        }
    }

    /// <summary>Liveness and readiness for container probes: /healthz answers while the process runs, /readyz once the engine is ready.</summary>
    public static IEndpointRouteBuilder MapRunnerProbes(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", (EngineHost host) => Results.Json(new { status = "alive", engine = host.State }));
        endpoints.MapGet("/readyz", (EngineHost host) => host.Engine is { } engine
            ? Results.Json(new { status = "ready", backend = engine.BackendName, reason = engine.BackendReason, catalogItems = engine.CatalogCount, vectorStore = engine.VectorStoreKind, ontologyStore = engine.OntologyStoreKind })
            : Results.Json(new { status = "not ready", engine = host.State }, statusCode: StatusCodes.Status503ServiceUnavailable));
        return endpoints;
    }
}
