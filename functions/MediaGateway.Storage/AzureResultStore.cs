using System.Collections.Concurrent;
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
/// (small, queryable). A result travels inside its job's entity when its JSON fits <see cref="InlineResultBytes"/>
/// (so the runner writes record and result in one round trip and a waiting gateway reads both in one), and in a
/// blob when it does not (up to 100 hits with explanations can exceed a table property's 64 KiB). Conditional
/// writes use the entities' ETags (If-Match) and If-None-Match on inserts, so concurrent gateways and runners can
/// neither run a job twice nor overwrite a finished one.
/// </summary>
public sealed class AzureResultStore(TableClient jobs, BlobContainerClient results) : IResultStore
{
    /// <summary>
    /// Job records (row key: the job id) and cache-key claims (row key: <see cref="ClaimRowKey"/>) share one partition,
    /// so a new job and its claim are written in one transaction.
    /// </summary>
    private const string JobPartition = "job";
    private const string RunnerPartition = "runner";
    private const string ResultProperty = "Result";
    /// <summary>Read-modify-write attempts before giving up on a job that keeps changing under us.</summary>
    private const int MaxConflicts = 5;

    /// <summary>Entities per table transaction (the service's limit).</summary>
    private const int TransactionLimit = 100;

    /// <summary>The largest result JSON kept inside the job's entity (a binary table property holds 64 KiB).</summary>
    internal const int InlineResultBytes = 60 * 1024;

    /// <summary>Bound of <see cref="_lastSeen"/>: reached, it is cleared whole (the cost is one read per job in flight).</summary>
    private const int RememberedJobs = 4_096;

    /// <summary>
    /// The ETag and record of each unfinished job this instance last read or wrote. A conditional update tries that
    /// ETag first instead of reading the entity again (a runner's "succeeded" after its own "running" costs one round
    /// trip, not two); if the job changed meanwhile the write is refused (412) and the update reads as usual. A memo,
    /// not a source of truth: an entry only ever saves a read.
    /// </summary>
    private readonly ConcurrentDictionary<string, (ETag ETag, JobRecord Job)> _lastSeen = new(StringComparer.Ordinal);

    public async Task<JobRecord?> GetJobAsync(string jobId, CancellationToken cancellationToken = default) =>
        await ReadAsync(jobId, cancellationToken).ConfigureAwait(false) is { } entity ? ToRecord(entity) : null;

    public async Task<(JobRecord? Job, SearchResponse? Result)> GetJobWithResultAsync(string jobId, CancellationToken cancellationToken = default)
    {
        if (await ReadAsync(jobId, cancellationToken).ConfigureAwait(false) is not { } entity) return (null, null);
        var job = ToRecord(entity);
        return (job, job.Status == JobStatus.Succeeded ? await ResultOfAsync(entity, cancellationToken).ConfigureAwait(false) : null);
    }

    public Task<JobRecord?> TryUpdateJobAsync(string jobId, Func<JobRecord, JobRecord?> change, CancellationToken cancellationToken = default) =>
        UpdateAsync(jobId, change, null, cancellationToken);

    public async Task<bool> CompleteJobAsync(string jobId, SearchResponse result, DateTimeOffset completedAt, CancellationToken cancellationToken = default)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(result, ContractJson.Options);
        var inline = json.Length <= InlineResultBytes;
        if (!inline)
        {
            // No read first: if the job has finished, a result is there already and the upload is refused (or, for
            // a failed job, lands where nobody reads it); the conditional update below decides.
            try
            {
                // Never overwrite: a result already there came from an earlier attempt at this very request.
                var options = new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } };
                await results.GetBlobClient(BlobName(jobId)).UploadAsync(BinaryData.FromBytes(json), options, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
            }
        }
        // An inline result is written with the record, by the same conditional update: a finished job keeps its own.
        var written = await UpdateAsync(jobId, j => j.Status.IsFinished() ? null : j with { Status = JobStatus.Succeeded, UpdatedAt = completedAt, Error = null },
            inline ? json : null, cancellationToken).ConfigureAwait(false);
        return written is not null;
    }

    public async Task<SearchResponse?> GetResultAsync(string jobId, CancellationToken cancellationToken = default) =>
        await ReadAsync(jobId, cancellationToken).ConfigureAwait(false) is { } entity ? await ResultOfAsync(entity, cancellationToken).ConfigureAwait(false) : null;

    /// <summary>
    /// Writes the job's next state (and <paramref name="inlineResult"/>, when given) only if the entity did not change
    /// since it was seen: first on the ETag this instance remembers, if <paramref name="change"/> accepts that state,
    /// without reading; otherwise, or when that ETag is stale, by reading and retrying on conflicts.
    /// </summary>
    private async Task<JobRecord?> UpdateAsync(string jobId, Func<JobRecord, JobRecord?> change, byte[]? inlineResult, CancellationToken cancellationToken)
    {
        // A remembered job never holds a result (only unfinished ones are remembered), so replacing it drops none.
        if (_lastSeen.TryGetValue(jobId, out var known) && change(known.Job) is { } guess)
        {
            var next = guess with { JobId = jobId };
            try
            {
                var written = await jobs.UpdateEntityAsync(ToEntity(next, inlineResult), known.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                Remember(next, written.Headers.ETag);
                return next;
            }
            catch (RequestFailedException e) when (e.Status is 412 or 404)
            {
                // Changed (or gone) since: the memo was stale. Decide on what is there now, below.
                _lastSeen.TryRemove(jobId, out _);
            }
        }
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            if (await ReadAsync(jobId, cancellationToken).ConfigureAwait(false) is not { } entity) return null;
            if (change(ToRecord(entity)) is not { } next) return null;
            next = next with { JobId = jobId };
            var replacement = ToEntity(next, inlineResult);
            // Replace writes the whole entity: a result stored inline earlier must not be dropped by a later change.
            if (inlineResult is null && entity.TryGetValue(ResultProperty, out var stored)) replacement[ResultProperty] = stored;
            try
            {
                var written = await jobs.UpdateEntityAsync(replacement, entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                Remember(next, written.Headers.ETag);
                return next;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // Changed since we read it: read again and let the caller decide on what is there now.
            }
        }
        throw new InvalidOperationException($"Job {jobId} kept changing during {MaxConflicts} conditional updates.");
    }

    /// <summary>Notes an unfinished job's ETag for the next update; a finished job is forgotten (nothing updates it again).</summary>
    private void Remember(JobRecord job, ETag? etag)
    {
        if (job.Status.IsFinished() || etag is not { } known)
        {
            _lastSeen.TryRemove(job.JobId, out _);
            return;
        }
        if (_lastSeen.Count >= RememberedJobs) _lastSeen.Clear();
        _lastSeen[job.JobId] = (known, job);
    }

    private async Task<SearchResponse?> ResultOfAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        if (entity.GetBinary(ResultProperty) is { } inline) return JsonSerializer.Deserialize<SearchResponse>(inline, ContractJson.Options);
        try
        {
            var content = await results.GetBlobClient(BlobName(entity.RowKey)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToObjectFromJson<SearchResponse>(ContractJson.Options);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<string?> GetJobIdForCacheKeyAsync(string cacheKey, CancellationToken cancellationToken = default)
    {
        var entity = await jobs.GetEntityIfExistsAsync<TableEntity>(JobPartition, ClaimRowKey(cacheKey), cancellationToken: cancellationToken).ConfigureAwait(false);
        return entity.HasValue && entity.Value is not null ? entity.Value.GetString("JobId") : null;
    }

    public async Task<bool> TryCreateClaimedJobAsync(JobRecord job, string? replacing, CancellationToken cancellationToken = default)
    {
        var key = job.CacheKey ?? throw new ArgumentException("A job that claims a cache key needs one.", nameof(job));
        var claim = new TableEntity(JobPartition, ClaimRowKey(key)) { ["JobId"] = job.JobId };
        // One transaction (the record and the claim share a partition for it): both are written, or neither.
        List<TableTransactionAction> actions = [new(TableTransactionActionType.Add, ToEntity(job, null))];
        if (replacing is null)
        {
            actions.Add(new(TableTransactionActionType.Add, claim)); // 409 if another got there first
        }
        else
        {
            var existing = await jobs.GetEntityIfExistsAsync<TableEntity>(JobPartition, ClaimRowKey(key), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!existing.HasValue || existing.Value is null || existing.Value.GetString("JobId") != replacing) return false;
            actions.Add(new(TableTransactionActionType.UpdateReplace, claim, existing.Value.ETag)); // 412 likewise
        }
        try
        {
            var written = await jobs.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            Remember(job, written.Value[0].Headers.ETag);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412)
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

    /// <summary>
    /// Deletes the job records (inline results included) and cache-key claims last written before
    /// <paramref name="cutoff"/>: table entities cannot expire by a lifecycle rule the way result blobs do, and the
    /// gateway ignores records past their retention anyway. Deletes are conditional on the ETag the query returned,
    /// so a record or claim rewritten meanwhile stays; one that another sweeper deleted first is skipped. Batches of
    /// 100 per transaction. Returns how many entities were deleted.
    /// </summary>
    public async Task<int> DeleteExpiredAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        var deleted = 0;
        var expired = jobs.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {JobPartition} and Timestamp lt {cutoff}"),
            maxPerPage: 1_000, select: ["PartitionKey", "RowKey"], cancellationToken);
        var batch = new List<TableTransactionAction>(TransactionLimit);
        await foreach (var entity in expired.ConfigureAwait(false))
        {
            batch.Add(new TableTransactionAction(TableTransactionActionType.Delete, entity, entity.ETag));
            if (batch.Count < TransactionLimit) continue;
            deleted += await DeleteAsync(batch, cancellationToken).ConfigureAwait(false);
            batch.Clear();
        }
        if (batch.Count > 0) deleted += await DeleteAsync(batch, cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    private async Task<int> DeleteAsync(List<TableTransactionAction> batch, CancellationToken cancellationToken)
    {
        try
        {
            await jobs.SubmitTransactionAsync(batch, cancellationToken).ConfigureAwait(false);
            return batch.Count;
        }
        catch (TableTransactionFailedException)
        {
            // One entity changed or went since the query (a transaction is all or nothing): the others one by one.
            var deleted = 0;
            foreach (var action in batch)
            {
                try
                {
                    await jobs.DeleteEntityAsync(action.Entity.PartitionKey, action.Entity.RowKey, action.Entity.ETag, cancellationToken).ConfigureAwait(false);
                    deleted++;
                }
                catch (RequestFailedException e) when (e.Status is 404 or 412)
                {
                }
            }
            return deleted;
        }
    }

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        await jobs.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await results.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task<TableEntity?> ReadAsync(string jobId, CancellationToken cancellationToken)
    {
        var found = await jobs.GetEntityIfExistsAsync<TableEntity>(JobPartition, jobId, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!found.HasValue || found.Value is not { } entity) return null;
        if (!entity.ContainsKey(ResultProperty)) Remember(ToRecord(entity), entity.ETag);
        return entity;
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

    private static TableEntity ToEntity(JobRecord job, byte[]? inlineResult)
    {
        var entity = new TableEntity(JobPartition, job.JobId)
        {
            ["Status"] = job.Status.ToString(),
            ["CacheKey"] = job.CacheKey,
            ["Query"] = job.Query,
            ["CreatedAt"] = job.CreatedAt,
            ["UpdatedAt"] = job.UpdatedAt,
            ["Error"] = job.Error,
        };
        if (inlineResult is not null) entity[ResultProperty] = inlineResult;
        return entity;
    }

    /// <summary>"cache-" and the 64-digit key: 70 characters, so no job id (at most 64) can ever name a claim.</summary>
    private static string ClaimRowKey(string cacheKey) => $"cache-{cacheKey}";

    private static string BlobName(string jobId) => $"search/{jobId}.json";
}
