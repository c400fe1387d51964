using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace MediaGateway.Storage;

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

    /// <summary>
    /// Retries that give up within about a second and a network timeout of a few: with the SDK's defaults
    /// (4 tries, 0.8 s exponential delay, 100 s timeout) an outage held each request for 5–25 s before it
    /// failed; bounded, the caller gets its 503 + Retry-After at once and retries on its own schedule.
    /// </summary>
    internal static void Bound(ClientOptions options)
    {
        options.Retry.MaxRetries = 2;
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.Delay = TimeSpan.FromMilliseconds(100);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
    }

    public QueueClient Queue(string name, SyncAsyncEventHandler<QueueMessageDecodingFailedEventArgs>? onUndecodable = null)
    {
        // Base64 is what the Functions queue extension reads and writes by default (host.json messageEncoding).
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        Bound(options);
        if (onUndecodable is not null) options.MessageDecodingFailed += onUndecodable;
        return _connectionString is not null
            ? new QueueClient(_connectionString, name, options)
            : new QueueClient(new Uri(_queueUri!, name), _credential!, options);
    }

    public TableClient Table(string name)
    {
        var options = new TableClientOptions();
        Bound(options);
        return _connectionString is not null
            ? new TableClient(_connectionString, name, options)
            : new TableClient(_tableUri!, name, _credential!, options);
    }

    /// <summary>The account's blob endpoint: https://{account}.blob.core.windows.net/, or Azurite's http://127.0.0.1:{port}/{account}.</summary>
    public Uri BlobEndpoint => _blobUri ?? new BlobServiceClient(_connectionString).Uri;

    /// <summary>A blob of this account, with this account's credentials.</summary>
    public BlobClient Blob(string containerName, string blobName) => Container(containerName).GetBlobClient(blobName);

    public BlobContainerClient Container(string name)
    {
        var options = new BlobClientOptions();
        Bound(options);
        return _connectionString is not null
            ? new BlobContainerClient(_connectionString, name, options)
            : new BlobContainerClient(new Uri(_blobUri!, name), _credential!, options);
    }
}
