using System.Collections.Concurrent;
using MediaGateway.Contracts.Jobs;
using Microsoft.Extensions.Logging;

namespace MediaGateway.Storage;

/// <summary>Azure Storage queues by name, each with its "-poison" queue (the Functions host's convention), created if missing on first use.</summary>
public sealed class AzureMessageQueues(StorageClients clients, TimeProvider time, ILoggerFactory loggers) : IMessageQueues
{
    private readonly ConcurrentDictionary<string, Lazy<AzureStorageJobQueue>> _queues = new(StringComparer.Ordinal);

    public IMessageQueue Get(string queueName) =>
        _queues.GetOrAdd(queueName, name => new Lazy<AzureStorageJobQueue>(() =>
            new AzureStorageJobQueue(clients, name, name + "-poison", time, loggers.CreateLogger<AzureStorageJobQueue>()))).Value;

    /// <summary>Creates the named queues and their poison queues when missing (at start; in Azure the Bicep template has).</summary>
    public async Task EnsureCreatedAsync(IEnumerable<string> queueNames, CancellationToken cancellationToken = default)
    {
        foreach (var name in queueNames) await ((AzureStorageJobQueue)Get(name)).EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
    }
}
