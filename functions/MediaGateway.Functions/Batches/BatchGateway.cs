using System.Text.Json;
using MediaGateway.Contracts;
using MediaGateway.Contracts.Batches;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Contracts.Search;
using MediaGateway.Functions.Search;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaGateway.Functions.Batches;

/// <summary>
/// The HTTP side of a batch search: stores the normalised queries and a queued record under a random handle,
/// then puts a small message on the batch queue for <see cref="BatchQueueFunction"/>.
/// </summary>
public sealed class BatchGateway(IBatchStore store, IMessageQueues queues, IOptions<GatewayOptions> options, TimeProvider time, ILogger<BatchGateway> logger)
{
    /// <param name="request">A request that passed <see cref="BatchSearchRequestValidator"/>.</param>
    public async Task<BatchRecord> StartAsync(BatchSearchRequest request, CancellationToken cancellationToken)
    {
        var queries = request.Queries!.Select(q => SearchRequestNormalizer.Normalize(q!)).ToArray();
        var now = time.GetUtcNow();
        var batch = new BatchRecord
        {
            BatchId = JobIds.NewHandle(),
            Status = JobStatus.Queued,
            InputKey = BatchInput.KeyFor(BatchInput.Serialize(queries)),
            Total = queries.Length,
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (!await store.TryCreateBatchAsync(batch, queries, cancellationToken))
            throw new InvalidOperationException("A random batch handle collided with an existing batch.");
        try
        {
            var message = new BatchJobMessage { BatchId = batch.BatchId, InputKey = batch.InputKey, EnqueuedAt = now };
            await queues.Get(StorageNames.BatchQueue).SendAsync(JsonSerializer.Serialize(message, ContractJson.Options), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await store.TryUpdateBatchAsync(batch.BatchId, b => b.Status.IsFinished() ? null
                : b with { Status = JobStatus.Failed, UpdatedAt = time.GetUtcNow(), Error = "Could not enqueue the batch; the batch queue is unavailable. Try again shortly." }, CancellationToken.None);
            throw;
        }
        logger.LogInformation("Enqueued batch {BatchId} of {Count} queries", batch.BatchId, batch.Total);
        return batch;
    }

    /// <summary>The batch's record; null for unknown batches and those older than the job retention.</summary>
    public async Task<BatchRecord?> GetAsync(string batchId, CancellationToken cancellationToken)
    {
        var batch = await store.GetBatchAsync(batchId, cancellationToken);
        return batch is null || time.GetUtcNow() - batch.CreatedAt > options.Value.JobRetention ? null : batch;
    }

    public Task<Stream?> OpenResultsAsync(string batchId, CancellationToken cancellationToken) => store.OpenResultsAsync(batchId, cancellationToken);
}
