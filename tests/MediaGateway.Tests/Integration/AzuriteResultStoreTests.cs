using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Contracts.Search;
using MediaGateway.Storage;
using MediaGateway.Tests.Support;

namespace MediaGateway.Tests.Integration;

/// <summary>
/// The Azure result store on real Azure Storage APIs (Azurite): where a result lives (inside the job's entity when
/// small, in a blob when not), how many round trips the serving path costs, and that remembered ETags never let a
/// stale view overwrite a finished job.
/// </summary>
public sealed class AzuriteResultStoreTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    /// <summary>Counts the requests a client sends.</summary>
    private sealed class RequestCounter : HttpPipelineSynchronousPolicy
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
    }

    private sealed record Store(AzureResultStore Results, RequestCounter Requests, BlobContainerClient Container);

    /// <summary>A store over its own table and container (tests run in parallel), counting its requests.</summary>
    private async Task<Store> NewStoreAsync(string name)
    {
        var counter = new RequestCounter();
        var tableOptions = new TableClientOptions();
        tableOptions.AddPolicy(counter, HttpPipelinePosition.PerCall);
        var blobOptions = new BlobClientOptions();
        blobOptions.AddPolicy(counter, HttpPipelinePosition.PerCall);
        var table = new TableServiceClient(azurite.ConnectionString, tableOptions).GetTableClient(name);
        var container = new BlobServiceClient(azurite.ConnectionString, blobOptions).GetBlobContainerClient(name);
        var store = new AzureResultStore(table, container);
        await store.EnsureCreatedAsync();
        return new Store(store, counter, container);
    }

    private static string UniqueName() => $"results{Guid.NewGuid():N}"[..24];

    private static async Task<JobRecord> QueuedJobAsync(AzureResultStore store)
    {
        var now = DateTimeOffset.UtcNow;
        var job = new JobRecord { JobId = JobIds.NewHandle(), Status = JobStatus.Queued, CacheKey = new string('a', 64), Query = "alien", CreatedAt = now, UpdatedAt = now };
        Assert.True(await Jobs.CreateAsync(store, job));
        return job;
    }

    private static SearchResponse Response(string jobId, int hits, int titleLength = 20) => new()
    {
        JobId = jobId,
        Query = "alien",
        Results = Enumerable.Range(0, hits).Select(i => new SearchHit { Id = $"m{i}", Title = new string('t', titleLength), MatchedFields = ["title"] }).ToArray(),
    };

    [Fact]
    public async Task A_small_result_is_written_with_its_record_in_one_request_and_read_back_with_it_in_one()
    {
        var name = UniqueName();
        var (store, requests, container) = await NewStoreAsync(name);
        var job = await QueuedJobAsync(store);
        // The runner's admission: one read, then "running" on the ETag that read returned.
        Assert.Equal(JobStatus.Queued, (await store.GetJobAsync(job.JobId))!.Status);
        var before = requests.Count;
        Assert.NotNull(await store.TryUpdateJobAsync(job.JobId, j => j with { Status = JobStatus.Running }));
        Assert.Equal(1, requests.Count - before);

        before = requests.Count;
        Assert.True(await store.CompleteJobAsync(job.JobId, Response(job.JobId, 10), DateTimeOffset.UtcNow));
        Assert.Equal(1, requests.Count - before); // record and result together, no read first (was: upload, read, update)

        var waiter = await NewStoreAsync(name); // the gateway: another instance, nothing remembered
        before = waiter.Requests.Count;
        var (record, result) = await waiter.Results.GetJobWithResultAsync(job.JobId);
        Assert.Equal(1, waiter.Requests.Count - before);
        Assert.Equal(JobStatus.Succeeded, record!.Status);
        Assert.Equal(10, result!.Results.Count);
        Assert.Equal(10, (await waiter.Results.GetResultAsync(job.JobId))!.Results.Count);
        await foreach (var _ in container.GetBlobsAsync()) Assert.Fail("a small result must not be stored as a blob");
    }

    [Fact]
    public async Task A_result_too_large_for_an_entity_goes_to_a_blob_and_reads_back_the_same()
    {
        var (store, _, container) = await NewStoreAsync(UniqueName());
        var job = await QueuedJobAsync(store);
        var large = Response(job.JobId, 100, titleLength: 1_000); // ~100 KB of JSON, over a table property's 64 KiB

        Assert.True(await store.CompleteJobAsync(job.JobId, large, DateTimeOffset.UtcNow));

        var (record, result) = await store.GetJobWithResultAsync(job.JobId);
        Assert.Equal(JobStatus.Succeeded, record!.Status);
        Assert.Equal(100, result!.Results.Count);
        Assert.Equal(1_000, result.Results[99].Title.Length);
        Assert.Equal(100, (await store.GetResultAsync(job.JobId))!.Results.Count);
        var blobs = new List<string>();
        await foreach (var blob in container.GetBlobsAsync()) blobs.Add(blob.Name);
        Assert.Equal([$"search/{job.JobId}.json"], blobs);
    }

    [Fact]
    public async Task A_stale_remembered_etag_never_overwrites_a_job_another_instance_finished()
    {
        var name = UniqueName();
        var (late, _, _) = await NewStoreAsync(name);
        var (first, _, _) = await NewStoreAsync(name);
        var job = await QueuedJobAsync(late);
        Assert.NotNull(await late.GetJobAsync(job.JobId)); // remembers the queued job's ETag

        Assert.True(await first.CompleteJobAsync(job.JobId, Response(job.JobId, 3), DateTimeOffset.UtcNow));
        // The late instance's view is stale: its write on the remembered ETag is refused, it reads, and declines.
        Assert.False(await late.CompleteJobAsync(job.JobId, Response(job.JobId, 7), DateTimeOffset.UtcNow));
        Assert.Null(await late.TryUpdateJobAsync(job.JobId, j => j.Status.IsFinished() ? null : j with { Status = JobStatus.Failed }));

        var (record, result) = await late.GetJobWithResultAsync(job.JobId);
        Assert.Equal(JobStatus.Succeeded, record!.Status);
        Assert.Equal(3, result!.Results.Count);
    }

    [Fact]
    public async Task A_later_change_to_a_succeeded_job_keeps_its_inline_result()
    {
        var (store, _, _) = await NewStoreAsync(UniqueName());
        var job = await QueuedJobAsync(store);
        Assert.True(await store.CompleteJobAsync(job.JobId, Response(job.JobId, 4), DateTimeOffset.UtcNow));

        // No caller changes a finished job today; the store must still not lose a result if one ever does.
        Assert.NotNull(await store.TryUpdateJobAsync(job.JobId, j => j with { Query = "alien (renamed)" }));

        var (record, result) = await store.GetJobWithResultAsync(job.JobId);
        Assert.Equal("alien (renamed)", record!.Query);
        Assert.Equal(4, result!.Results.Count);
    }

    [Fact]
    public async Task Expired_job_records_and_cache_claims_are_deleted_and_nothing_else()
    {
        var (store, _, _) = await NewStoreAsync(UniqueName());
        var now = DateTimeOffset.UtcNow;
        var claimed = new JobRecord { JobId = JobIds.NewHandle(), Status = JobStatus.Queued, CacheKey = new string('b', 64), CreatedAt = now, UpdatedAt = now };
        Assert.True(await store.TryCreateClaimedJobAsync(claimed, null));
        var jobs = new[] { claimed, await QueuedJobAsync(store), await QueuedJobAsync(store) };
        Assert.True(await store.CompleteJobAsync(jobs[0].JobId, Response(jobs[0].JobId, 2), DateTimeOffset.UtcNow));
        await store.PutRunnerStatusAsync(new RunnerStatus { Instance = "runner-1", Backend = "cpu", LastSeen = DateTimeOffset.UtcNow });

        Assert.Equal(0, await store.DeleteExpiredAsync(DateTimeOffset.UtcNow.AddMinutes(-10))); // none is that old
        Assert.NotNull(await store.GetJobAsync(jobs[2].JobId));

        Assert.Equal(5, await store.DeleteExpiredAsync(DateTimeOffset.UtcNow.AddMinutes(1))); // three records and two claims (keys b and a)
        foreach (var job in jobs) Assert.Null(await store.GetJobAsync(job.JobId));
        Assert.Null(await store.GetJobIdForCacheKeyAsync(jobs[0].CacheKey!));
        Assert.Null(await store.GetJobIdForCacheKeyAsync(jobs[1].CacheKey!));
        Assert.NotNull(await store.GetRunnerStatusAsync()); // heartbeats are not job records
    }
}
