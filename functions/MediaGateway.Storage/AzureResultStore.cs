using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using MediaGateway.Contracts;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Contracts.Search;

namespace MediaGateway.Storage;

/// <summary>
/// <see cref="IResultStore"/> on Azure Storage: job records, the cache-key index and runner heartbeats in a table
/// (small, queryable), result documents in blobs (up to 100 hits with explanations can exceed a table entity's
/// 64 KiB property). Conditional writes use the entities' ETags (If-Match) and If-None-Match on inserts, so
/// concurrent gateways and runners can neither run a job twice nor overwrite a finished one.
/// </summary>
public sealed class AzureResultStore(TableClient jobs, BlobContainerClient results) : IResultStore
{
    private const string JobPartition = "job";
    private const string CachePartition = "cache";
    private const string RunnerPartition = "runner";
    /// <summary>Read-modify-write attempts before giving up on a job that keeps changing under us.</summary>
    private const int MaxConflicts = 5;

    public async Task<JobRecord?> GetJobAsync(string jobId, CancellationToken cancellationToken = default) =>
        await ReadAsync(jobId, cancellationToken).ConfigureAwait(false) is { } entity ? ToRecord(entity) : null;

    public async Task<bool> TryCreateJobAsync(JobRecord job, CancellationToken cancellationToken = default)
    {
        try
        {
            await jobs.AddEntityAsync(ToEntity(job), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public async Task<JobRecord?> TryUpdateJobAsync(string jobId, Func<JobRecord, JobRecord?> change, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            if (await ReadAsync(jobId, cancellationToken).ConfigureAwait(false) is not { } entity) return null;
            if (change(ToRecord(entity)) is not { } next) return null;
            next = next with { JobId = jobId };
            try
            {
                await jobs.UpdateEntityAsync(ToEntity(next), entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return next;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // Changed since we read it: read again and let the caller decide on what is there now.
            }
        }
        throw new InvalidOperationException($"Job {jobId} kept changing during {MaxConflicts} conditional updates.");
    }

    public async Task<bool> CompleteJobAsync(string jobId, SearchResponse result, DateTimeOffset completedAt, CancellationToken cancellationToken = default)
    {
        // No read first: if the job has finished, a result is there already and the upload is refused (or, for
        // a failed job, lands where nobody reads it); the conditional update below decides.
        try
        {
            // Never overwrite: a result already there came from an earlier attempt at this very request.
            var options = new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } };
            await results.GetBlobClient(BlobName(jobId)).UploadAsync(BinaryData.FromObjectAsJson(result, ContractJson.Options), options, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
        }
        var written = await TryUpdateJobAsync(jobId, j => j.Status.IsFinished() ? null : j with { Status = JobStatus.Succeeded, UpdatedAt = completedAt, Error = null },
            cancellationToken).ConfigureAwait(false);
        return written is not null;
    }

    public async Task<SearchResponse?> GetResultAsync(string jobId, CancellationToken cancellationToken = default)
    {
        try
        {
            var content = await results.GetBlobClient(BlobName(jobId)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToObjectFromJson<SearchResponse>(ContractJson.Options);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<string?> GetJobIdForCacheKeyAsync(string cacheKey, CancellationToken cancellationToken = default)
    {
        var entity = await jobs.GetEntityIfExistsAsync<TableEntity>(CachePartition, cacheKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return entity.HasValue && entity.Value is not null ? entity.Value.GetString("JobId") : null;
    }

    public async Task<bool> TryClaimCacheKeyAsync(string cacheKey, string jobId, string? expectedJobId, CancellationToken cancellationToken = default)
    {
        var claim = new TableEntity(CachePartition, cacheKey) { ["JobId"] = jobId };
        try
        {
            if (expectedJobId is null)
            {
                await jobs.AddEntityAsync(claim, cancellationToken).ConfigureAwait(false); // 409 if another got there first
                return true;
            }
            var existing = await jobs.GetEntityIfExistsAsync<TableEntity>(CachePartition, cacheKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!existing.HasValue || existing.Value is null) return false;
            if (existing.Value.GetString("JobId") != expectedJobId) return false;
            await jobs.UpdateEntityAsync(claim, existing.Value.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false); // 412 likewise
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>Table storage cannot notify, so this only waits out the interval; the gateway reads again after it.</summary>
    public Task WaitForJobAsync(string jobId, TimeSpan maxWait, CancellationToken cancellationToken = default) =>
        Task.Delay(maxWait, cancellationToken);

    public async Task PutRunnerStatusAsync(RunnerStatus status, CancellationToken cancellationToken = default)
    {
        var entity = new TableEntity(RunnerPartition, status.Instance)
        {
            ["Json"] = JsonSerializer.Serialize(status, ContractJson.Options),
            ["LastSeen"] = status.LastSeen,
        };
        await jobs.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<RunnerStatus?> GetRunnerStatusAsync(CancellationToken cancellationToken = default)
    {
        RunnerStatus? latest = null;
        await foreach (var e in jobs.QueryAsync<TableEntity>(x => x.PartitionKey == RunnerPartition, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var status = JsonSerializer.Deserialize<RunnerStatus>(e.GetString("Json"), ContractJson.Options);
            if (status is not null && (latest is null || status.LastSeen > latest.LastSeen)) latest = status;
        }
        return latest;
    }

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        await jobs.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await results.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task<TableEntity?> ReadAsync(string jobId, CancellationToken cancellationToken)
    {
        var entity = await jobs.GetEntityIfExistsAsync<TableEntity>(JobPartition, jobId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return entity.HasValue ? entity.Value : null;
    }

    private static JobRecord ToRecord(TableEntity e) => new()
    {
        JobId = e.RowKey,
        Status = Enum.Parse<JobStatus>(e.GetString("Status")),
        CacheKey = e.GetString("CacheKey"),
        Query = e.GetString("Query"),
        CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? default,
        UpdatedAt = e.GetDateTimeOffset("UpdatedAt") ?? default,
        Error = e.GetString("Error"),
    };

    private static TableEntity ToEntity(JobRecord job) => new(JobPartition, job.JobId)
    {
        ["Status"] = job.Status.ToString(),
        ["CacheKey"] = job.CacheKey,
        ["Query"] = job.Query,
        ["CreatedAt"] = job.CreatedAt,
        ["UpdatedAt"] = job.UpdatedAt,
        ["Error"] = job.Error,
    };

    private static string BlobName(string jobId) => $"search/{jobId}.json";
}
