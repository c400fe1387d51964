using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MediaGateway.Storage;

/// <summary>
/// Creates the queues, table and container when missing. In Azure the Bicep template creates them and the
/// identities may lack the right to, so a refusal is logged and start-up continues.
/// </summary>
internal sealed class StorageInitializer(AzureStorageJobQueue queue, AzureResultStore store, AzureMessageQueues queues, ILogger<StorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await queue.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            await store.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            await queues.EnsureCreatedAsync([MediaGateway.Contracts.Jobs.StorageNames.BatchQueue], cancellationToken).ConfigureAwait(false);
        }
        catch (Azure.RequestFailedException e) when (e.Status is 403 or 409)
        {
            logger.LogWarning("Could not create storage resources ({Status} {Code}); assuming they were provisioned.", e.Status, e.ErrorCode);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or AggregateException or HttpRequestException)
        {
            // Storage down at start-up must not stop the host: it starts, answers 503 and reports the outage
            // on /health, and works as soon as storage is back (the resources exist in any provisioned account).
            logger.LogError("Storage is unreachable at start-up ({Message}); starting anyway, requests get 503 until it is back.", e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
