using MediaGateway.Contracts.Batches;
using MediaGateway.Contracts.Imports;
using MediaGateway.Contracts.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaGateway.Storage;

/// <summary>
/// Wires <see cref="IJobQueue"/> and <see cref="IResultStore"/> from configuration, identically for the
/// Functions app, the gpu-runner and the local host.
/// <list type="bullet">
/// <item><c>MediaGateway:Storage:Mode</c>: <c>Azure</c> (default) or <c>InProcess</c>.</item>
/// <item><c>AzureWebJobsStorage</c>: a connection string (Azurite: <c>UseDevelopmentStorage=true</c>), or</item>
/// <item><c>AzureWebJobsStorage__queueServiceUri</c>, <c>__blobServiceUri</c>, <c>__tableServiceUri</c> and optional
/// <c>__clientId</c>: managed identity, no keys (what the Bicep template sets).</item>
/// <item><c>MediaGateway:Storage:InProcess</c>: the in-process store's bounds (<see cref="InProcessStoreOptions"/>).</item>
/// </list>
/// </summary>
public static class StorageRegistration
{
    public const string ModeKey = "MediaGateway:Storage:Mode";
    public const string ConnectionName = "AzureWebJobsStorage";

    public static IServiceCollection AddMediaGatewayStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var mode = configuration.GetValue(ModeKey, StorageMode.Azure);
        services.TryAddSingleton(TimeProvider.System);
        if (mode == StorageMode.InProcess)
        {
            services.Configure<InProcessStoreOptions>(configuration.GetSection(InProcessStoreOptions.Section));
            services.TryAddSingleton(sp => new InProcessJobQueue(sp.GetRequiredService<TimeProvider>()));
            services.TryAddSingleton<IJobQueue>(sp => sp.GetRequiredService<InProcessJobQueue>());
            services.TryAddSingleton(sp => new InProcessResultStore(sp.GetRequiredService<IOptions<InProcessStoreOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
            services.TryAddSingleton<IResultStore>(sp => sp.GetRequiredService<InProcessResultStore>());
            services.TryAddSingleton(sp => new InProcessMessageQueues(sp.GetRequiredService<InProcessJobQueue>(), sp.GetRequiredService<TimeProvider>()));
            services.TryAddSingleton<IMessageQueues>(sp => sp.GetRequiredService<InProcessMessageQueues>());
            services.TryAddSingleton(sp => new InProcessBatchStore(sp.GetRequiredService<IOptions<InProcessStoreOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
            services.TryAddSingleton<IBatchStore>(sp => sp.GetRequiredService<InProcessBatchStore>());
            services.TryAddSingleton<ICatalogImportStore>(sp => new InProcessCatalogImportStore(sp.GetRequiredService<IOptions<InProcessStoreOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
            services.TryAddSingleton<ICatalogVersionStore, InProcessCatalogVersionStore>();
            services.TryAddSingleton<ICatalogBlobSource, InProcessCatalogBlobSource>();
            return services;
        }

        var clients = StorageClients.FromConfiguration(configuration);
        services.TryAddSingleton(clients);
        services.TryAddSingleton(sp => new AzureStorageJobQueue(clients, StorageNames.SearchQueue, StorageNames.SearchPoisonQueue,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AzureStorageJobQueue>>()));
        services.TryAddSingleton<IJobQueue>(sp => sp.GetRequiredService<AzureStorageJobQueue>());
        services.TryAddSingleton(sp => new AzureResultStore(clients.Table(StorageNames.JobsTable), clients.Container(StorageNames.ResultsContainer)));
        services.TryAddSingleton<IResultStore>(sp => sp.GetRequiredService<AzureResultStore>());
        services.TryAddSingleton(sp => new AzureMessageQueues(clients, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton<IMessageQueues>(sp => sp.GetRequiredService<AzureMessageQueues>());
        services.TryAddSingleton<IBatchStore>(_ => new AzureBatchStore(clients.Table(StorageNames.JobsTable), clients.Container(StorageNames.ResultsContainer)));
        services.TryAddSingleton<ICatalogImportStore>(_ => new AzureCatalogImportStore(clients.Table(StorageNames.JobsTable), clients.Container(StorageNames.ResultsContainer)));
        services.TryAddSingleton<ICatalogVersionStore>(_ => new AzureCatalogVersionStore(clients.Container(StorageNames.IndexSnapshotsContainer)));
        services.TryAddSingleton<ICatalogBlobSource>(_ => new AzureCatalogBlobSource(clients));
        services.AddHostedService<StorageInitializer>();
        return services;
    }
}
