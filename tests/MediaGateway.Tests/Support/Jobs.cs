using MediaGateway.Contracts.Jobs;
using MediaGateway.Contracts.Search;

namespace MediaGateway.Tests.Support;

/// <summary>Jobs as the gateway creates them: a record under a random handle, and the message that names it.</summary>
internal static class Jobs
{
    public static SearchJobMessage Message(string query, int limit = 3, string? jobId = null)
    {
        var request = SearchRequestNormalizer.Normalize(new SearchRequest { Query = query, Limit = limit });
        return new SearchJobMessage { JobId = jobId ?? JobIds.NewHandle(), CacheKey = SearchRequestNormalizer.CacheKeyFor(request), Request = request, EnqueuedAt = DateTimeOffset.UtcNow };
    }

    public static JobRecord Record(SearchJobMessage message, JobStatus status = JobStatus.Queued) => new()
    {
        JobId = message.JobId, Status = status, CacheKey = message.CacheKey, Query = message.Request.Query,
        CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
    };

    /// <summary>
    /// Creates the job's record and points its cache key at it, replacing whichever job the key named before, as the
    /// gateway does for a request whose earlier answer has expired; false when a record with its id exists already.
    /// </summary>
    public static async Task<bool> CreateAsync(IResultStore store, JobRecord job)
    {
        var current = await store.GetJobIdForCacheKeyAsync(job.CacheKey!);
        return await store.TryCreateClaimedJobAsync(job, current);
    }

    /// <summary>Creates the job's record and enqueues its message, as the gateway does.</summary>
    public static async Task<SearchJobMessage> StartAsync(IResultStore store, IJobQueue queue, string query, int limit = 3)
    {
        var message = Message(query, limit);
        Assert.True(await CreateAsync(store, Record(message)));
        await queue.SendAsync(message);
        return message;
    }
}
