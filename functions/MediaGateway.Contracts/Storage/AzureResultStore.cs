using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Contracts.Search;

namespace MediaGateway.Contracts.Storage;

/// <summary>
/// <see cref="IResultStore"/> on Azure Storage: job records and runner heartbeats in a table (small, queryable),
/// result documents in blobs (up to 100 hits with explanations can exceed a table entity's 64 KiB property).
/// </summary>
public sealed class AzureResultStore(TableClient jobs, BlobContainerClient results) : IResultStore
{
    private const string JobPartition = "job";
    private const string RunnerPartition = "runner";

    public async Task<JobRecord?> GetJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var entity = await jobs.GetEntityIfExistsAsync<TableEntity>(JobPartition, jobId, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!entity.HasValue || entity.Value is null) return null;
        var e = entity.Value;
        return new JobRecord
        {
            JobId = jobId,
            Status = Enum.Parse<JobStatus>(e.GetString("Status")),
            Query = e.GetString("Query"),
            CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? default,
            UpdatedAt = e.GetDateTimeOffset("UpdatedAt") ?? default,
            Error = e.GetString("Error"),
        };
    }

    public async Task PutJobAsync(JobRecord job, CancellationToken cancellationToken = default)
    {
        var entity = new TableEntity(JobPartition, job.JobId)
        {
            ["Status"] = job.Status.ToString(),
            ["Query"] = job.Query,
            ["CreatedAt"] = job.CreatedAt,
            ["UpdatedAt"] = job.UpdatedAt,
            ["Error"] = job.Error,
        };
        await jobs.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task CompleteJobAsync(JobRecord job, SearchResponse result, CancellationToken cancellationToken = default)
    {
        var blob = results.GetBlobClient(BlobName(job.JobId));
        await blob.UploadAsync(BinaryData.FromObjectAsJson(result, ContractJson.Options), overwrite: true, cancellationToken).ConfigureAwait(false);
        await PutJobAsync(job with { Status = JobStatus.Succeeded }, cancellationToken).ConfigureAwait(false);
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

    private static string BlobName(string jobId) => $"search/{jobId}.json";
}
