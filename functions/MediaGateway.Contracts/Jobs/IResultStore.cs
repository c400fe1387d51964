using MediaGateway.Contracts.Search;

namespace MediaGateway.Contracts.Jobs;

/// <summary>
/// Durable job state and results, written by the runner and read by the gateway. Every write that changes a
/// job is conditional (optimistic concurrency): it sees the stored record and may decline, so a finished job
/// is never run again or overwritten, whatever order redelivered or forged messages arrive in.
/// </summary>
public interface IResultStore
{
    Task<JobRecord?> GetJobAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the job, asks <paramref name="change"/> for its new state (null declines) and writes it only if
    /// the record did not change in between (retrying the read if it did). Returns what was written, or null
    /// when the job does not exist or the change was declined.
    /// </summary>
    Task<JobRecord?> TryUpdateJobAsync(string jobId, Func<JobRecord, JobRecord?> change, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the result and marks the job succeeded, only while it is queued or running; false (and the stored
    /// result and record untouched) when it had finished already. The result is stored first, so a succeeded
    /// job always has one.
    /// </summary>
    Task<bool> CompleteJobAsync(string jobId, SearchResponse result, DateTimeOffset completedAt, CancellationToken cancellationToken = default);

    Task<SearchResponse?> GetResultAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The job's record and, once it has succeeded, its result: what a waiting gateway reads on every look. A remote
    /// store answers it in one round trip where it can (Azure keeps small results inside the job's entity); this
    /// default reads the two one after the other.
    /// </summary>
    async Task<(JobRecord? Job, SearchResponse? Result)> GetJobWithResultAsync(string jobId, CancellationToken cancellationToken = default)
    {
        var job = await GetJobAsync(jobId, cancellationToken).ConfigureAwait(false);
        var result = job is { Status: JobStatus.Succeeded } ? await GetResultAsync(jobId, cancellationToken).ConfigureAwait(false) : null;
        return (job, result);
    }

    /// <summary>The job that answers (or answered) the request with this cache key, if any.</summary>
    Task<string?> GetJobIdForCacheKeyAsync(string cacheKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts <paramref name="job"/> and points its cache key at it, if the key still points at
    /// <paramref name="replacing"/> (null: at nothing): both or neither (on Azure, one round trip). Of many gateways
    /// racing for one key, exactly one gets true: the one whose job runs; the others have written nothing. False too
    /// when a record with the job's id exists already. Every job is created this way: each one answers a cache key.
    /// </summary>
    Task<bool> TryCreateClaimedJobAsync(JobRecord job, string? replacing, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns when the job has finished, or after <paramref name="maxWait"/>, whichever is first. The in-process
    /// store completes it the moment the result is written; a remote store can only wait out the interval.
    /// </summary>
    Task WaitForJobAsync(string jobId, TimeSpan maxWait, CancellationToken cancellationToken = default);

    Task PutRunnerStatusAsync(RunnerStatus status, CancellationToken cancellationToken = default);

    /// <summary>The most recently seen runner instance, or null if none has reported.</summary>
    Task<RunnerStatus?> GetRunnerStatusAsync(CancellationToken cancellationToken = default);
}
