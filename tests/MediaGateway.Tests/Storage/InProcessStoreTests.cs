using MediaGateway.Contracts.Jobs;
using MediaGateway.Contracts.Search;
using MediaGateway.Storage;
using MediaGateway.Tests.Support;

namespace MediaGateway.Tests.Storage;

public sealed class InProcessStoreTests
{
    private static SearchResponse Result(string jobId, int padding = 0) =>
        new() { JobId = jobId, Query = new string('q', 1 + padding), Results = [] };

    [Fact]
    public async Task The_store_keeps_at_most_its_job_bound_dropping_the_oldest()
    {
        var store = new InProcessResultStore(new InProcessStoreOptions { MaxJobs = 100 });
        var first = Jobs.Message("first");
        Assert.True(await store.TryCreateClaimedJobAsync(Jobs.Record(first), null));
        for (var i = 0; i < 500; i++)
        {
            var job = Jobs.Message($"query {i}");
            await Jobs.CreateAsync(store, Jobs.Record(job));
            await store.CompleteJobAsync(job.JobId, Result(job.JobId), DateTimeOffset.UtcNow);
        }

        Assert.Equal(100, store.JobCount);
        Assert.Null(await store.GetJobAsync(first.JobId));
        Assert.Null(await store.GetJobIdForCacheKeyAsync(first.CacheKey));
    }

    [Fact]
    public async Task The_store_keeps_at_most_its_byte_bound_of_results()
    {
        var store = new InProcessResultStore(new InProcessStoreOptions { MaxResultBytes = 100_000 });
        for (var i = 0; i < 100; i++)
        {
            var job = Jobs.Message($"query {i}");
            await Jobs.CreateAsync(store, Jobs.Record(job));
            await store.CompleteJobAsync(job.JobId, Result(job.JobId, padding: 10_000), DateTimeOffset.UtcNow);
        }

        Assert.InRange(store.ResultBytes, 1, 100_000);
        Assert.InRange(store.JobCount, 1, 10);
    }

    [Fact]
    public async Task Jobs_and_results_expire_after_the_retention()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var store = new InProcessResultStore(new InProcessStoreOptions { Retention = TimeSpan.FromMinutes(10) }, clock);
        var job = Jobs.Message("alien") ;
        await Jobs.CreateAsync(store, Jobs.Record(job) with { CreatedAt = clock.Now });
        await store.CompleteJobAsync(job.JobId, Result(job.JobId), clock.Now);

        clock.Advance(TimeSpan.FromMinutes(11));

        Assert.Null(await store.GetJobAsync(job.JobId));
        Assert.Null(await store.GetResultAsync(job.JobId));
        await Jobs.CreateAsync(store, Jobs.Record(Jobs.Message("other")) with { CreatedAt = clock.Now });
        Assert.Equal(1, store.JobCount);
    }

    [Fact]
    public async Task A_finished_job_is_never_completed_again_or_changed_by_a_declining_update()
    {
        var store = new InProcessResultStore();
        var job = Jobs.Message("alien");
        await Jobs.CreateAsync(store, Jobs.Record(job));
        Assert.True(await store.CompleteJobAsync(job.JobId, Result(job.JobId), DateTimeOffset.UtcNow));

        Assert.False(await store.CompleteJobAsync(job.JobId, Result(job.JobId, padding: 5), DateTimeOffset.UtcNow));
        Assert.Null(await store.TryUpdateJobAsync(job.JobId, j => j.Status.IsFinished() ? null : j with { Status = JobStatus.Failed }));
        Assert.Equal("q", (await store.GetResultAsync(job.JobId))!.Query);
        Assert.False(await Jobs.CreateAsync(store, Jobs.Record(job)));
    }

    [Fact]
    public async Task Only_one_of_many_concurrent_claims_of_a_cache_key_wins()
    {
        var store = new InProcessResultStore();
        var jobs = Enumerable.Range(0, 50).Select(_ => Jobs.Message("storm")).ToArray();
        var claims = await Task.WhenAll(jobs.Select(job => Task.Run(() => store.TryCreateClaimedJobAsync(Jobs.Record(job), null))));

        Assert.Single(claims, c => c);
        Assert.Equal(1, store.JobCount); // the losers wrote nothing
        var winner = jobs[Array.IndexOf(claims, true)];
        Assert.Equal(winner.JobId, await store.GetJobIdForCacheKeyAsync(winner.CacheKey));
        var next = Jobs.Message("storm");
        Assert.False(await store.TryCreateClaimedJobAsync(Jobs.Record(next), "job-not-current"));
        Assert.True(await store.TryCreateClaimedJobAsync(Jobs.Record(next), winner.JobId));
        Assert.Equal(next.JobId, await store.GetJobIdForCacheKeyAsync(winner.CacheKey));
    }

    [Fact]
    public async Task A_waiter_wakes_when_its_job_finishes_not_at_the_end_of_its_wait()
    {
        var store = new InProcessResultStore();
        var job = Jobs.Message("alien");
        await Jobs.CreateAsync(store, Jobs.Record(job));
        var wait = store.WaitForJobAsync(job.JobId, TimeSpan.FromMinutes(5));
        Assert.False(wait.IsCompleted);

        await store.CompleteJobAsync(job.JobId, Result(job.JobId), DateTimeOffset.UtcNow);

        await wait.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_waiting_receiver_wakes_when_a_message_is_sent()
    {
        var queue = new InProcessJobQueue();
        var wait = queue.WaitForMessagesAsync(TimeSpan.FromMinutes(5));
        Assert.False(wait.IsCompleted);

        await queue.SendAsync(Jobs.Message("alien"));

        await wait.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Single(await queue.ReceiveAsync(32, TimeSpan.FromMinutes(1)));
    }
}
