using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MediaGateway.Storage;

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
