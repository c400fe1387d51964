using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using MediaGateway.Contracts.Batches;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Contracts.Search;

namespace MediaGateway.Storage;

/// <summary>
/// <see cref="IBatchStore"/> on Azure Storage: batch records in the jobs table (partition "batch", ETag-conditional
/// updates), the queries and the JSON Lines results as blobs in the results container (<c>batches/{id}/…</c>, so the
/// container's lifecycle rule removes them with the search results). Results are uploaded If-None-Match: never rewritten.
/// </summary>
public sealed class AzureBatchStore(TableClient jobs, BlobContainerClient results) : IBatchStore
{
    private const string BatchPartition = "batch";
    private const int MaxConflicts = 5;

    public async Task<bool> TryCreateBatchAsync(BatchRecord batch, IReadOnlyList<SearchRequest> queries, CancellationToken cancellationToken = default)
    {
        try
        {
            await UploadOnceAsync(InputBlob(batch.BatchId), BatchInput.Serialize(queries), "application/json", cancellationToken).ConfigureAwait(false);
            await jobs.AddEntityAsync(ToEntity(batch), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    public async Task<BatchRecord?> GetBatchAsync(string batchId, CancellationToken cancellationToken = default) =>
        await ReadAsync(batchId, cancellationToken).ConfigureAwait(false) is { } entity ? ToRecord(entity) : null;

    public async Task<BatchRecord?> TryUpdateBatchAsync(string batchId, Func<BatchRecord, BatchRecord?> change, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            if (await ReadAsync(batchId, cancellationToken).ConfigureAwait(false) is not { } entity) return null;
            if (change(ToRecord(entity)) is not { } next) return null;
            next = next with { BatchId = batchId };
            try
            {
                await jobs.UpdateEntityAsync(ToEntity(next), entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return next;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
            }
        }
        throw new InvalidOperationException($"Batch {batchId} kept changing during {MaxConflicts} conditional updates.");
    }

    public async Task<IReadOnlyList<SearchRequest>?> GetQueriesAsync(string batchId, CancellationToken cancellationToken = default)
    {
        try
        {
            var content = await results.GetBlobClient(InputBlob(batchId)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return BatchInput.Deserialize(content.Value.Content.ToMemory().Span);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task PutResultsAsync(string batchId, ReadOnlyMemory<byte> jsonLines, CancellationToken cancellationToken = default)
    {
        try
        {
            await UploadOnceAsync(ResultsBlob(batchId), jsonLines, "application/x-ndjson", cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Written by an earlier attempt at this batch: the same queries, kept as they were.
        }
    }

    public async Task<Stream?> OpenResultsAsync(string batchId, CancellationToken cancellationToken = default)
    {
        try
        {
            return await results.GetBlobClient(ResultsBlob(batchId)).OpenReadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private async Task UploadOnceAsync(string name, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        var options = new BlobUploadOptions
        {
            Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
        };
        await results.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(content), options, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TableEntity?> ReadAsync(string batchId, CancellationToken cancellationToken)
    {
        var entity = await jobs.GetEntityIfExistsAsync<TableEntity>(BatchPartition, batchId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return entity.HasValue ? entity.Value : null;
    }

    private static BatchRecord ToRecord(TableEntity e) => new()
    {
        BatchId = e.RowKey,
        Status = Enum.Parse<JobStatus>(e.GetString("Status")),
        InputKey = e.GetString("InputKey"),
        Total = e.GetInt32("Total") ?? 0,
        Done = e.GetInt32("Done") ?? 0,
        Failed = e.GetInt32("Failed") ?? 0,
        CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? default,
        UpdatedAt = e.GetDateTimeOffset("UpdatedAt") ?? default,
        Error = e.GetString("Error"),
    };

    private static TableEntity ToEntity(BatchRecord b) => new(BatchPartition, b.BatchId)
    {
        ["Status"] = b.Status.ToString(),
        ["InputKey"] = b.InputKey,
        ["Total"] = b.Total,
        ["Done"] = b.Done,
        ["Failed"] = b.Failed,
        ["CreatedAt"] = b.CreatedAt,
        ["UpdatedAt"] = b.UpdatedAt,
        ["Error"] = b.Error,
    };

    private static string InputBlob(string batchId) => $"batches/{batchId}/queries.json";

    private static string ResultsBlob(string batchId) => $"batches/{batchId}/results.jsonl";
}
