using MediaGateway.Contracts.Jobs;
using MediaGateway.Contracts.Search;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaGateway.Functions.Search;

/// <summary>What a search request led to.</summary>
public abstract record SearchOutcome
{
    public sealed record Completed(SearchResponse Response) : SearchOutcome;
    public sealed record Pending(string JobId) : SearchOutcome;
    public sealed record Failed(string JobId, string Error) : SearchOutcome;
}

/// <summary>
/// The gateway's side of a search: answer from cache when the same normalised request was answered
/// recently; otherwise enqueue a job for the gpu-runner and wait a short while for its result.
/// </summary>
public sealed class SearchGateway : IDisposable
{
    private readonly IJobQueue _queue;
    private readonly IResultStore _store;
    private readonly GatewayOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SearchGateway> _logger;
    private readonly MemoryCache _results;
    private readonly SemaphoreSlim _waiters;

    public SearchGateway(IJobQueue queue, IResultStore store, IOptions<GatewayOptions> options, TimeProvider time, ILogger<SearchGateway> logger)
    {
        (_queue, _store, _options, _time, _logger) = (queue, store, options.Value, time, logger);
        _results = new MemoryCache(new MemoryCacheOptions { SizeLimit = _options.ResultCacheEntries });
        _waiters = new SemaphoreSlim(_options.MaxConcurrentWaits);
    }

    /// <param name="request">A request that passed <see cref="SearchRequestValidator"/>.</param>
    public async Task<SearchOutcome> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        var normalized = SearchRequestNormalizer.Normalize(request);
        var jobId = SearchRequestNormalizer.JobIdFor(normalized);
        if (_results.TryGetValue(jobId, out SearchResponse? hot) && hot is not null)
            return new SearchOutcome.Completed(hot with { Cached = true });

        var now = _time.GetUtcNow();
        var job = await _store.GetJobAsync(jobId, cancellationToken);
        if (job is { Status: JobStatus.Succeeded } && now - job.UpdatedAt < _options.ResultTtl
            && await _store.GetResultAsync(jobId, cancellationToken) is { } stored)
        {
            Remember(stored, job.UpdatedAt);
            return new SearchOutcome.Completed(stored with { Cached = true });
        }

        var inFlight = job is { Status: JobStatus.Queued or JobStatus.Running } && now - job.UpdatedAt < _options.PendingStaleAfter;
        if (!inFlight)
        {
            // The record is written before the message, so the runner's "succeeded" can never be overwritten by "queued".
            var queued = new JobRecord { JobId = jobId, Status = JobStatus.Queued, Query = normalized.Query, CreatedAt = now, UpdatedAt = now };
            await _store.PutJobAsync(queued, cancellationToken);
            try
            {
                await _queue.SendAsync(new SearchJobMessage { JobId = jobId, Request = normalized, EnqueuedAt = now }, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Otherwise the job would look in flight, and repeats of the request would wait for nothing.
                await _store.PutJobAsync(queued with { Status = JobStatus.Failed, UpdatedAt = _time.GetUtcNow(), Error = $"Could not enqueue the search: {e.Message}" }, CancellationToken.None);
                throw;
            }
            _logger.LogInformation("Enqueued search job {JobId}", jobId);
        }
        return await WaitForResultAsync(jobId, cancellationToken);
    }

    /// <summary>The job's record and, once it has succeeded, its result.</summary>
    public async Task<(JobRecord? Job, SearchResponse? Result)> GetJobAsync(string jobId, CancellationToken cancellationToken)
    {
        var job = await _store.GetJobAsync(jobId, cancellationToken);
        var result = job is { Status: JobStatus.Succeeded } ? await _store.GetResultAsync(jobId, cancellationToken) : null;
        return (job, result);
    }

    private async Task<SearchOutcome> WaitForResultAsync(string jobId, CancellationToken cancellationToken)
    {
        // Waiting holds a connection open; past the bound, callers are told to poll instead.
        if (!await _waiters.WaitAsync(0, cancellationToken)) return new SearchOutcome.Pending(jobId);
        try
        {
            var deadline = _time.GetUtcNow() + _options.WaitForResult;
            var interval = _options.PollInterval;
            while (_time.GetUtcNow() < deadline)
            {
                await Task.Delay(interval, _time, cancellationToken);
                // Back off: fast answers are found fast, slow ones do not cost a storage read every 50 ms.
                interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 3 / 2, _options.MaxPollInterval.Ticks));
                var job = await _store.GetJobAsync(jobId, cancellationToken);
                if (job is { Status: JobStatus.Failed }) return new SearchOutcome.Failed(jobId, job.Error ?? "The search failed.");
                if (job is { Status: JobStatus.Succeeded } && await _store.GetResultAsync(jobId, cancellationToken) is { } result)
                {
                    Remember(result, job.UpdatedAt);
                    return new SearchOutcome.Completed(result);
                }
            }
            return new SearchOutcome.Pending(jobId);
        }
        finally
        {
            _waiters.Release();
        }
    }

    private void Remember(SearchResponse response, DateTimeOffset completedAt) =>
        _results.Set(response.JobId, response, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = completedAt + _options.ResultTtl });

    public void Dispose()
    {
        _results.Dispose();
        _waiters.Dispose();
    }
}
