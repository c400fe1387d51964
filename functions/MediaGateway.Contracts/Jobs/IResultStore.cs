using MediaGateway.Contracts.Search;

namespace MediaGateway.Contracts.Jobs;

/// <summary>Durable job state and results, written by the runner and read by the gateway.</summary>
public interface IResultStore
{
    Task<JobRecord?> GetJobAsync(string jobId, CancellationToken cancellationToken = default);

    Task PutJobAsync(JobRecord job, CancellationToken cancellationToken = default);

    /// <summary>Stores the result first, then marks the job succeeded, so a succeeded job always has a result.</summary>
    Task CompleteJobAsync(JobRecord job, SearchResponse result, CancellationToken cancellationToken = default);

    Task<SearchResponse?> GetResultAsync(string jobId, CancellationToken cancellationToken = default);

    Task PutRunnerStatusAsync(RunnerStatus status, CancellationToken cancellationToken = default);

    /// <summary>The most recently seen runner instance, or null if none has reported.</summary>
    Task<RunnerStatus?> GetRunnerStatusAsync(CancellationToken cancellationToken = default);
}
