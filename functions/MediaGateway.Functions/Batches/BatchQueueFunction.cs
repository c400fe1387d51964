using Azure.Storage.Queues.Models;
using MediaGateway.Contracts.Jobs;
using Microsoft.Azure.Functions.Worker;

namespace MediaGateway.Functions.Batches;

/// <summary>
/// The queue-triggered batch job. In Azure the Functions host runs it for each message on <c>batch-jobs</c>, retries
/// a failed one up to <c>maxDequeueCount</c> (host.json) and then moves it to <c>batch-jobs-poison</c>; the local
/// host's trigger pump does the same with the same class.
/// </summary>
public sealed class BatchQueueFunction(BatchRunner runner)
{
    [Function("RunBatch")]
    public Task Run([QueueTrigger(StorageNames.BatchQueue)] QueueMessage message, CancellationToken cancellationToken) =>
        runner.RunAsync(message.Body.ToString(), message.DequeueCount, cancellationToken);
}
