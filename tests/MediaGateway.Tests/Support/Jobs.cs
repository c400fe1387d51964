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

    /// <summary>Creates the job's record and enqueues its message, as the gateway does.</summary>
    public static async Task<SearchJobMessage> StartAsync(IResultStore store, IJobQueue queue, string query, int limit = 3)
    {
        var message = Message(query, limit);
        Assert.True(await store.TryCreateJobAsync(Record(message)));
        await queue.SendAsync(message);
        return message;
    }
}
