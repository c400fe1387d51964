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
/// Runs one batch message: splits the batch's queries into runner-sized chunks and sends each query through
/// <see cref="SearchGateway.StartAsync"/>, the path of a single search, so a query answered recently comes from
/// the cache, identical queries share one job, and the runner receives ordinary search job messages. Progress is
/// written after each chunk; at the end the results (JSON Lines, input order, per-query errors) are stored once
/// and the batch marked succeeded.
/// <para>
/// Messages are trusted no more than the runner trusts its own: a message that cannot be read, names no batch, or
/// does not carry its batch's input key is refused (an exception: the host retries it, then moves it to the poison
/// queue) without touching any batch. A valid message whose batch cannot be run (its input unreadable, no runner
/// answering) fails its attempt; the last attempt marks that batch, and only that batch, failed. A repeat of a
/// finished batch's message does nothing.
/// </para>
/// </summary>
public sealed class BatchRunner(IBatchStore store, SearchGateway searches, IOptions<BatchOptions> options, TimeProvider time, ILogger<BatchRunner> logger)
{
    public async Task RunAsync(string body, long dequeueCount, CancellationToken cancellationToken)
    {
        var message = Read(body);
        var batch = await store.GetBatchAsync(message.BatchId, cancellationToken)
                    ?? throw new BatchMessageException($"No batch {message.BatchId} is waiting for this message (unknown or expired).");
        if (batch.InputKey != message.InputKey)
            throw new BatchMessageException($"The message does not match batch {message.BatchId}; the batch is left alone.");
        if (batch.Status.IsFinished())
        {
            logger.LogInformation("Batch {BatchId} has finished already; the message was a repeat", batch.BatchId);
            return;
        }
        try
        {
            await RunBatchAsync(batch, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException && dequeueCount >= options.Value.MaxDequeueCount)
        {
            var reason = SafeText.Escape($"The batch could not be run after {dequeueCount} attempts: {e.Message}");
            await store.TryUpdateBatchAsync(batch.BatchId, b => b.Status.IsFinished() || b.InputKey != message.InputKey ? null
                : b with { Status = JobStatus.Failed, UpdatedAt = time.GetUtcNow(), Error = reason }, CancellationToken.None);
            logger.LogError("Batch {BatchId} failed for good: {Reason}", batch.BatchId, reason);
            throw;
        }
    }

    private async Task RunBatchAsync(BatchRecord batch, CancellationToken cancellationToken)
    {
        var running = await store.TryUpdateBatchAsync(batch.BatchId, b => b.Status.IsFinished() || b.InputKey != batch.InputKey ? null
            : b with { Status = JobStatus.Running, UpdatedAt = time.GetUtcNow() }, cancellationToken);
        if (running is null) return; // finished meanwhile (another attempt)

        var queries = await ReadQueriesAsync(batch, cancellationToken);
        var lines = new BatchResultLine?[queries.Count];
        var chunks = Enumerable.Range(0, queries.Count).Chunk(Math.Max(1, options.Value.ChunkSize));
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.ChunksInFlight), CancellationToken = cancellationToken };
        var started = time.GetTimestamp();
        await Parallel.ForEachAsync(chunks, parallel, async (chunk, token) =>
        {
            // All of a chunk is enqueued before any of it is awaited, so the runner takes it as one batch.
            var outcomes = await Task.WhenAll(chunk.Select(i => searches.StartAsync(queries[i], token)));
            for (var k = 0; k < chunk.Length; k++) lines[chunk[k]] = await FinishAsync(chunk[k], queries[chunk[k]], outcomes[k], token);
            await ReportProgressAsync(batch, lines, token);
        });

        var answered = lines.Select(l => l ?? throw new InvalidOperationException("A query was left unanswered.")).ToArray();
        await store.PutResultsAsync(batch.BatchId, ToJsonLines(answered), cancellationToken);
        var failed = answered.Count(l => l.Status == JobStatus.Failed);
        await store.TryUpdateBatchAsync(batch.BatchId, b => b.Status.IsFinished() || b.InputKey != batch.InputKey ? null
            : b with { Status = JobStatus.Succeeded, Done = answered.Length, Failed = failed, UpdatedAt = time.GetUtcNow(), Error = null }, cancellationToken);
        logger.LogInformation("Batch {BatchId}: {Count} queries ({Failed} failed) in {Ms:F0} ms", batch.BatchId, answered.Length, failed, time.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>The stored queries, checked again with the HTTP rules: storage can be written by others than the gateway.</summary>
    private async Task<IReadOnlyList<SearchRequest>> ReadQueriesAsync(BatchRecord batch, CancellationToken cancellationToken)
    {
        IReadOnlyList<SearchRequest>? queries;
        try
        {
            queries = await store.GetQueriesAsync(batch.BatchId, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The batch's stored queries are not readable ({e.Message}).");
        }
        if (queries is null) throw new InvalidDataException("The batch's stored queries are missing.");
        if (queries.Count != batch.Total || BatchInput.KeyFor(BatchInput.Serialize(queries)) != batch.InputKey)
            throw new InvalidDataException("The batch's stored queries are not the ones it was created with.");
        var errors = BatchSearchRequestValidator.Validate(new BatchSearchRequest { Queries = queries.ToArray() });
        if (errors.Count > 0) throw new InvalidDataException($"The batch's stored queries are invalid: {errors[0].Field} {errors[0].Message}");
        return queries;
    }

    private async Task<BatchResultLine> FinishAsync(int index, SearchRequest query, SearchOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome is SearchOutcome.Pending pending)
        {
            outcome = await searches.FollowAsync(pending.JobId, options.Value.QueryTimeout, cancellationToken);
            if (outcome is SearchOutcome.Pending)
                throw new TimeoutException($"Query {index} (job {pending.JobId}) was not answered within {options.Value.QueryTimeout.TotalSeconds:F0} s; is a gpu-runner running?");
        }
        return outcome switch
        {
            // A filter value no catalog item has: the query fails, with what the catalog has instead; the batch goes on.
            SearchOutcome.Completed { Response: { Unknown: { Count: > 0 } unknown } response } => new BatchResultLine
            {
                Index = index, Query = query.Query!, Status = JobStatus.Failed, JobId = response.JobId,
                // The batch keeps its queries normalised (values lower-cased and sorted), so a position would not be the
                // caller's: the field and the value are named as stored.
                Error = UnknownReference.DescribeAll(unknown),
            },
            SearchOutcome.Completed done => new BatchResultLine { Index = index, Query = query.Query!, Status = JobStatus.Succeeded, JobId = done.Response.JobId, Result = done.Response },
            SearchOutcome.Failed failed => new BatchResultLine { Index = index, Query = query.Query!, Status = JobStatus.Failed, JobId = failed.JobId, Error = failed.Error },
            var other => throw new InvalidOperationException($"Unexpected outcome {other}"),
        };
    }

    /// <summary>Counts only grow: chunks finish in any order, and a retried attempt starts again from the cache.</summary>
    private async Task ReportProgressAsync(BatchRecord batch, BatchResultLine?[] lines, CancellationToken cancellationToken)
    {
        var done = lines.Count(l => l is not null);
        var failed = lines.Count(l => l is { Status: JobStatus.Failed });
        await store.TryUpdateBatchAsync(batch.BatchId, b => b.Status != JobStatus.Running || b.InputKey != batch.InputKey || b.Done >= done ? null
            : b with { Done = done, Failed = Math.Max(b.Failed, failed), UpdatedAt = time.GetUtcNow() }, cancellationToken);
    }

    private static byte[] ToJsonLines(BatchResultLine[] lines)
    {
        using var buffer = new MemoryStream();
        foreach (var line in lines)
        {
            JsonSerializer.Serialize(buffer, line, ContractJson.Options);
            buffer.WriteByte((byte)'\n');
        }
        return buffer.ToArray();
    }

    /// <summary>Reads and checks a message; every problem is a <see cref="BatchMessageException"/> whose text is escaped.</summary>
    public static BatchJobMessage Read(string body)
    {
        BatchJobMessage? message;
        try
        {
            message = JsonSerializer.Deserialize<BatchJobMessage>(body, ContractJson.Options);
        }
        catch (JsonException e)
        {
            throw new BatchMessageException(SafeText.Escape($"Malformed batch message: not a valid batch document ({e.Message})."));
        }
        if (message is null) throw new BatchMessageException("Malformed batch message: empty.");
        if (message.SchemaVersion != BatchJobMessage.CurrentSchemaVersion)
            throw new BatchMessageException($"Malformed batch message: schemaVersion {message.SchemaVersion} is not supported (expected {BatchJobMessage.CurrentSchemaVersion}).");
        if (!JobIds.IsValid(message.BatchId)) throw new BatchMessageException($"Malformed batch message: batchId must be {JobIds.Rule}.");
        return message;
    }
}
