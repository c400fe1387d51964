using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using MediaGateway.Contracts.Jobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MediaGateway.Contracts.Storage;

public enum StorageMode
{
    /// <summary>Azure Storage (or Azurite), configured the way the Functions host reads AzureWebJobsStorage.</summary>
    Azure,
    /// <summary>Queue and stores in this process: the embedded local run, nothing to install.</summary>
    InProcess,
}

/// <summary>
/// Wires <see cref="IJobQueue"/> and <see cref="IResultStore"/> from configuration, identically for the
/// Functions app, the gpu-runner and the local host.
/// <list type="bullet">
/// <item><c>MediaGateway:Storage:Mode</c>: <c>Azure</c> (default) or <c>InProcess</c>.</item>
/// <item><c>AzureWebJobsStorage</c>: a connection string (Azurite: <c>UseDevelopmentStorage=true</c>), or</item>
/// <item><c>AzureWebJobsStorage__queueServiceUri</c>, <c>__blobServiceUri</c>, <c>__tableServiceUri</c> and optional
/// <c>__clientId</c>: managed identity, no keys (what the Bicep template sets).</item>
/// </list>
/// </summary>
public static class StorageRegistration
{
    public const string ModeKey = "MediaGateway:Storage:Mode";
    public const string ConnectionName = "AzureWebJobsStorage";

    public static IServiceCollection AddMediaGatewayStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var mode = configuration.GetValue(ModeKey, StorageMode.Azure);
        if (mode == StorageMode.InProcess)
        {
            services.TryAddSingleton<InProcessJobQueue>();
            services.TryAddSingleton<IJobQueue>(sp => sp.GetRequiredService<InProcessJobQueue>());
            services.TryAddSingleton<IResultStore, InProcessResultStore>();
            return services;
        }

        var clients = StorageClients.FromConfiguration(configuration);
        services.TryAddSingleton(clients);
        services.TryAddSingleton(sp => new AzureStorageJobQueue(clients, StorageNames.SearchQueue, StorageNames.SearchPoisonQueue, sp.GetRequiredService<ILogger<AzureStorageJobQueue>>()));
        services.TryAddSingleton<IJobQueue>(sp => sp.GetRequiredService<AzureStorageJobQueue>());
        services.TryAddSingleton(sp => new AzureResultStore(clients.Table(StorageNames.JobsTable), clients.Container(StorageNames.ResultsContainer)));
        services.TryAddSingleton<IResultStore>(sp => sp.GetRequiredService<AzureResultStore>());
        services.AddHostedService<StorageInitializer>();
        return services;
    }
}

/// <summary>Creates the storage clients from a connection string or from service URIs plus managed identity.</summary>
public sealed class StorageClients
{
    private readonly string? _connectionString;
    private readonly Uri? _queueUri, _blobUri, _tableUri;
    private readonly TokenCredential? _credential;

    private StorageClients(string? connectionString, Uri? queueUri, Uri? blobUri, Uri? tableUri, TokenCredential? credential)
    {
        (_connectionString, _queueUri, _blobUri, _tableUri, _credential) = (connectionString, queueUri, blobUri, tableUri, credential);
    }

    public static StorageClients FromConfiguration(IConfiguration configuration)
    {
        var name = StorageRegistration.ConnectionName;
        var connectionString = configuration[name];
        if (!string.IsNullOrWhiteSpace(connectionString))
            return new StorageClients(connectionString, null, null, null, null);

        var section = configuration.GetSection(name);
        var account = section["accountName"];
        Uri? Service(string key, string kind) =>
            section[key] is { Length: > 0 } uri ? new Uri(uri)
            : account is { Length: > 0 } ? new Uri($"https://{account}.{kind}.core.windows.net") : null;
        var queue = Service("queueServiceUri", "queue");
        var blob = Service("blobServiceUri", "blob");
        var table = Service("tableServiceUri", "table");
        if (queue is null || blob is null || table is null)
            throw new InvalidOperationException(
                $"Storage is not configured. Set '{name}' to a connection string (for Azurite: UseDevelopmentStorage=true), " +
                $"or set '{name}__queueServiceUri', '{name}__blobServiceUri' and '{name}__tableServiceUri' (or '{name}__accountName') to use managed identity, " +
                $"or set '{StorageRegistration.ModeKey}=InProcess' for the embedded local run.");
        var clientId = section["clientId"];
        TokenCredential credential = string.IsNullOrEmpty(clientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
        return new StorageClients(null, queue, blob, table, credential);
    }

    public QueueClient Queue(string name, SyncAsyncEventHandler<QueueMessageDecodingFailedEventArgs>? onUndecodable = null)
    {
        // Base64 is what the Functions queue extension reads and writes by default (host.json messageEncoding).
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        if (onUndecodable is not null) options.MessageDecodingFailed += onUndecodable;
        return _connectionString is not null
            ? new QueueClient(_connectionString, name, options)
            : new QueueClient(new Uri(_queueUri!, name), _credential!, options);
    }

    public TableClient Table(string name) => _connectionString is not null
        ? new TableClient(_connectionString, name)
        : new TableClient(_tableUri!, name, _credential!);

    public BlobContainerClient Container(string name) => _connectionString is not null
        ? new BlobContainerClient(_connectionString, name)
        : new BlobContainerClient(new Uri(_blobUri!, name), _credential!);
}

/// <summary>
/// Creates the queues, table and container when missing. In Azure the Bicep template creates them and the
/// identities may lack the right to, so a refusal is logged and start-up continues.
/// </summary>
internal sealed class StorageInitializer(AzureStorageJobQueue queue, AzureResultStore store, ILogger<StorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await queue.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            await store.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Azure.RequestFailedException e) when (e.Status is 403 or 409)
        {
            logger.LogWarning("Could not create storage resources ({Status} {Code}); assuming they were provisioned.", e.Status, e.ErrorCode);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
