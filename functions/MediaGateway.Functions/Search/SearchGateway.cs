using MediaGateway.Contracts.Jobs;
using MediaGateway.Contracts.Search;
using MediaGateway.Functions.Telemetry;
using MediaGateway.Storage;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaGateway.Functions.Search;

/// <summary>
/// The gateway's side of a search: answer from cache when the same normalised request was answered
/// recently; otherwise start one job for it (however many callers ask at once) and wait a short while for
/// its result. Callers see only the job's random handle; the request's hash is the internal cache key.
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
    private int _following;
    private readonly RunnerHeartbeat _runners;
    private readonly GatewayMetrics? _metrics;

    public SearchGateway(IJobQueue queue, IResultStore store, IOptions<GatewayOptions> options, TimeProvider time, ILogger<SearchGateway> logger, GatewayMetrics? metrics = null)
    {
        (_queue, _store, _options, _time, _logger, _metrics) = (queue, store, options.Value, time, logger, metrics);
        _results = new MemoryCache(new MemoryCacheOptions { SizeLimit = _options.ResultCacheEntries });
        _waiters = new SemaphoreSlim(_options.MaxConcurrentWaits);
        _runners = new RunnerHeartbeat(store, _options, time);
    }

    /// <summary>A catalog import has been swapped in: read the served catalog version again before the next search.</summary>
    public void CatalogChanged() => _runners.Invalidate();

    /// <param name="request">A request that passed <see cref="SearchRequestValidator"/>.</param>
    public async Task<SearchOutcome> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        using var activity = GatewayActivity.Source.StartActivity("search");
        var started = await StartAsync(request, cancellationToken);
        if (started is not SearchOutcome.Pending pending) return started;
        // No runner has reported within the heartbeat timeout: the job waits in the queue for one, and holding the
        // caller's connection for the whole wait would only delay the 202 it gets anyway.
        if (await _runners.IsSilentAsync(cancellationToken)) return pending;
        // Waiting holds a connection open; past the bound, callers are told to poll instead.
        if (!await _waiters.WaitAsync(0, cancellationToken)) return pending;
        try
        {
            return await FollowAsync(pending.JobId, _options.WaitForResult, cancellationToken);
        }
        finally
        {
            _waiters.Release();
        }
    }

    /// <summary>
    /// The answer when the same request was answered recently (Completed, cached), otherwise the job that will
    /// answer it (Pending), started here or already in flight; never waits for it. Batch searches use this
    /// for each of their queries, so they share the cache and the jobs of single searches.
    /// </summary>
    /// <param name="request">A request that passed <see cref="SearchRequestValidator"/>.</param>
    public async Task<SearchOutcome> StartAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        var normalized = SearchRequestNormalizer.Normalize(request);
        // The catalog version is part of the key: after a catalog change, no answer computed on the old one is found.
        var version = await _runners.CatalogVersionAsync(cancellationToken);
        var cacheKey = SearchRequestNormalizer.CacheKeyFor(normalized, version);
        // Tags go on the current span: the single search's "search" span, or a batch's.
        var activity = System.Diagnostics.Activity.Current;
        if (_results.TryGetValue(cacheKey, out SearchResponse? hot) && hot is not null && Serves(hot, version))
        {
            _metrics?.CacheHit("memory");
            activity?.SetTag("mediagateway.cache", "memory");
            return new SearchOutcome.Completed(hot with { Cached = true });
        }

        var now = _time.GetUtcNow();
        var jobId = await _store.GetJobIdForCacheKeyAsync(cacheKey, cancellationToken);
        var (job, stored) = jobId is null ? (null, null) : await _store.GetJobWithResultAsync(jobId, cancellationToken);
        if (job is { Status: JobStatus.Succeeded } && now - job.UpdatedAt < _options.ResultTtl && stored is not null && Serves(stored, version))
        {
            Remember(cacheKey, stored, job.UpdatedAt);
            _metrics?.CacheHit("store");
            activity?.SetTag("mediagateway.cache", "store");
            return new SearchOutcome.Completed(stored with { Cached = true });
        }
        _metrics?.CacheMiss();
        activity?.SetTag("mediagateway.cache", "miss");

        var inFlight = job is { Status: JobStatus.Queued or JobStatus.Running } && now - job.UpdatedAt < _options.PendingStaleAfter;
        if (!inFlight) jobId = await StartJobAsync(cacheKey, normalized, version, jobId, now, cancellationToken);
        activity?.SetTag("mediagateway.job_id", jobId);
        return new SearchOutcome.Pending(jobId!);
    }

    /// <summary>
    /// Creates a job under a new handle and claims the cache key for it, conditionally on the key still pointing
    /// where we read it (<paramref name="replacing"/>): of any number of identical requests arriving together, one
    /// claims and enqueues, the others follow its job. Returns the job to wait for.
    /// </summary>
    private async Task<string> StartJobAsync(string cacheKey, SearchRequest normalized, string? catalogVersion, string? replacing, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var queued = new JobRecord { JobId = JobIds.NewHandle(), Status = JobStatus.Queued, CacheKey = cacheKey, Query = normalized.Query, CreatedAt = now, UpdatedAt = now };
        // The record and the claim are written together, before the message, so whoever reads the key finds the
        // job, and the runner's "succeeded" can never be overwritten by "queued".
        for (var attempt = 1; !await _store.TryCreateClaimedJobAsync(queued, replacing, cancellationToken); attempt++)
        {
            // Another request got there first: follow its job (ours was never written, its handle never shown).
            if (await _store.GetJobIdForCacheKeyAsync(cacheKey, cancellationToken) is { } winner) return winner;
            // Or the job we meant to replace expired in between: claim the now free key.
            if (attempt == 3) throw new InvalidOperationException("The cache key kept changing while it was being claimed.");
            replacing = null;
        }
        try
        {
            // The send span's id travels in the message: the runner's spans for this job become its children.
            using var send = GatewayActivity.Source.StartActivity("send search-jobs", System.Diagnostics.ActivityKind.Producer);
            send?.SetTag("messaging.destination.name", StorageNames.SearchQueue);
            send?.SetTag("mediagateway.job_id", queued.JobId);
            await _queue.SendAsync(new SearchJobMessage
            {
                JobId = queued.JobId, CacheKey = cacheKey, Request = normalized, EnqueuedAt = now, CatalogVersion = catalogVersion,
                TraceParent = TraceParent.Of(System.Diagnostics.Activity.Current),
            }, cancellationToken);
        }
        catch (Exception e)
        {
            // Otherwise the job would look in flight, and repeats of the request (a batch's retry among them) would follow
            // a job with no message behind it until it went stale. A cancelled send counts too: the request was dropped or
            // the gateway is stopping, and no message may have been written.
            var error = e is OperationCanceledException
                ? "The search was not enqueued: the request was cancelled or the gateway stopped while sending it. Try again."
                : "Could not enqueue the search; the work queue is unavailable. Try again shortly.";
            await _store.TryUpdateJobAsync(queued.JobId, j => j.Status.IsFinished() ? null
                : j with { Status = JobStatus.Failed, UpdatedAt = _time.GetUtcNow(), Error = error }, CancellationToken.None);
            throw;
        }
        _logger.LogInformation("Enqueued search job {JobId}", queued.JobId);
        return queued.JobId;
    }

    /// <summary>The job's record and, once it has succeeded, its result; null for unknown or expired jobs.</summary>
    public async Task<(JobRecord? Job, SearchResponse? Result)> GetJobAsync(string jobId, CancellationToken cancellationToken)
    {
        var (job, result) = await _store.GetJobWithResultAsync(jobId, cancellationToken);
        if (job is null || _time.GetUtcNow() - job.CreatedAt > _options.JobRetention) return (null, null);
        return (job, result);
    }

    /// <summary>
    /// Waits up to <paramref name="maxWait"/> for the job to finish: Completed or Failed when it has, Pending when
    /// not yet (or when it is unknown or expired).
    /// </summary>
    public async Task<SearchOutcome> FollowAsync(string jobId, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + maxWait;
        // Most answers come within PollBackoffAfter and are noticed within one short interval; slow ones do not
        // cost a storage read every few ms.
        var polling = new PollingBackoff(_options.PollInterval, _options.MaxPollInterval, _options.PollBackoffAfter, growth: 1.5, _time);
        Interlocked.Increment(ref _following);
        try
        {
            return await FollowAsync(jobId, deadline, polling, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _following);
        }
    }

    /// <summary>
    /// The wait before a waiter's next read: its own backoff, but never so short that this instance's waiters
    /// together read storage more than <see cref="GatewayOptions.PollReadsPerSecond"/> times a second (16 waiters
    /// at 10 ms would be 1,600 reads a second, which a storage emulator on two cores cannot serve).
    /// </summary>
    internal static TimeSpan ReadInterval(TimeSpan backoff, int waiting, double readsPerSecond)
    {
        if (!(readsPerSecond > 0)) return backoff; // no budget configured
        var shared = TimeSpan.FromSeconds(Math.Max(waiting, 1) / readsPerSecond);
        return backoff > shared ? backoff : shared;
    }

    private async Task<SearchOutcome> FollowAsync(string jobId, DateTimeOffset deadline, PollingBackoff polling, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Wait first: a job just enqueued is not done yet. In process this returns the moment the result is
            // written (or at once if it already was); on Azure it waits out the interval.
            var left = deadline - _time.GetUtcNow();
            var interval = ReadInterval(polling.Next(), Volatile.Read(ref _following), _options.PollReadsPerSecond);
            if (left > TimeSpan.Zero) await _store.WaitForJobAsync(jobId, interval < left ? interval : left, cancellationToken);
            // One read for the record and, once there, the result (on Azure a small result is inside the record).
            var (job, result) = await _store.GetJobWithResultAsync(jobId, cancellationToken);
            if (job is { Status: JobStatus.Failed }) return new SearchOutcome.Failed(jobId, job.Error ?? "The search failed.");
            if (job is { Status: JobStatus.Succeeded } && result is not null)
            {
                if (job.CacheKey is { } cacheKey) Remember(cacheKey, result, job.UpdatedAt);
                // A runner answered from another catalog than the one known here: it has changed; look again.
                if (result.CatalogVersion is { } served && served != await _runners.CatalogVersionAsync(cancellationToken)) _runners.Invalidate();
                return new SearchOutcome.Completed(result);
            }
            if (job is null || _time.GetUtcNow() >= deadline) return new SearchOutcome.Pending(jobId);
        }
    }

    /// <summary>A result computed on another catalog than the one served now is never an answer (it can only be met while a change spreads).</summary>
    private static bool Serves(SearchResponse result, string? version) =>
        result.CatalogVersion is null || version is null || result.CatalogVersion == version;

    private void Remember(string cacheKey, SearchResponse response, DateTimeOffset completedAt) =>
        _results.Set(cacheKey, response, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = completedAt + _options.ResultTtl });

    public void Dispose()
    {
        _results.Dispose();
        _waiters.Dispose();
    }
}
