using System.Collections.Concurrent;
using System.Text.Json;
using MediaGateway.Contracts;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Contracts.Search;

namespace MediaGateway.Storage;

/// <summary>
/// <see cref="IResultStore"/> in this process, for the embedded local run. Bounded like the Azure one:
/// jobs expire after <see cref="InProcessStoreOptions.Retention"/>, and the oldest are dropped beyond
/// <see cref="InProcessStoreOptions.MaxJobs"/> jobs or <see cref="InProcessStoreOptions.MaxResultBytes"/> of results.
/// Every change happens under one lock, which is what makes the conditional writes conditional here. A waiter
/// is woken by the write that finishes its job (<see cref="WaitForJobAsync"/>), not by polling.
/// </summary>
public sealed class InProcessResultStore(InProcessStoreOptions? options = null, TimeProvider? time = null) : IResultStore
{
    private readonly InProcessStoreOptions _options = options ?? new InProcessStoreOptions();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Slot> _jobs = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _oldestFirst = new();
    private readonly Dictionary<string, string> _jobByCacheKey = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RunnerStatus> _runners = new();
    private long _resultBytes;

    /// <summary>Jobs held now (for tests and diagnostics).</summary>
    public int JobCount
    {
        get { lock (_gate) return _jobs.Count; }
    }

    /// <summary>Bytes of result JSON held now.</summary>
    public long ResultBytes
    {
        get { lock (_gate) return _resultBytes; }
    }

    public Task<JobRecord?> GetJobAsync(string jobId, CancellationToken cancellationToken = default)
    {
        lock (_gate) return Task.FromResult(Live(jobId)?.Job);
    }

    public Task<JobRecord?> TryUpdateJobAsync(string jobId, Func<JobRecord, JobRecord?> change, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (Live(jobId) is not { } slot || change(slot.Job) is not { } next) return Task.FromResult<JobRecord?>(null);
            slot.Job = next with { JobId = jobId };
            if (next.Status.IsFinished()) slot.SignalFinished();
            return Task.FromResult<JobRecord?>(slot.Job);
        }
    }

    public Task<bool> CompleteJobAsync(string jobId, SearchResponse result, DateTimeOffset completedAt, CancellationToken cancellationToken = default)
    {
        // UTF-8 bytes, not a string: no transcoding either way, and the bound counts the bytes held.
        var json = JsonSerializer.SerializeToUtf8Bytes(result, ContractJson.Options);
        lock (_gate)
        {
            if (Live(jobId) is not { } slot || slot.Job.Status.IsFinished()) return Task.FromResult(false);
            slot.ResultJson = json;
            _resultBytes += json.Length;
            slot.Job = slot.Job with { Status = JobStatus.Succeeded, UpdatedAt = completedAt, Error = null };
            slot.SignalFinished();
            Trim();
            return Task.FromResult(true);
        }
    }

    public Task<SearchResponse?> GetResultAsync(string jobId, CancellationToken cancellationToken = default)
    {
        byte[]? json;
        lock (_gate) json = Live(jobId)?.ResultJson;
        return Task.FromResult(json is null ? null : JsonSerializer.Deserialize<SearchResponse>(json, ContractJson.Options));
    }

    public Task<string?> GetJobIdForCacheKeyAsync(string cacheKey, CancellationToken cancellationToken = default)
    {
        lock (_gate) return Task.FromResult(_jobByCacheKey.GetValueOrDefault(cacheKey) is { } id && Live(id) is not null ? id : null);
    }

    public Task<bool> TryCreateClaimedJobAsync(JobRecord job, string? replacing, CancellationToken cancellationToken = default)
    {
        var key = job.CacheKey ?? throw new ArgumentException("A job that claims a cache key needs one.", nameof(job));
        lock (_gate)
        {
            Trim();
            var current = _jobByCacheKey.GetValueOrDefault(key);
            if (current is not null && Live(current) is null) current = null; // pointed at a job that has expired
            if (current != replacing || _jobs.ContainsKey(job.JobId)) return Task.FromResult(false);
            _jobs[job.JobId] = new Slot(job, _oldestFirst.AddLast(job.JobId));
            _jobByCacheKey[key] = job.JobId;
            Trim();
            return Task.FromResult(true);
        }
    }

    public async Task WaitForJobAsync(string jobId, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        Task finished;
        lock (_gate)
        {
            if (Live(jobId) is not { } slot || slot.Job.Status.IsFinished()) return;
            finished = slot.WhenFinished();
        }
        try { await finished.WaitAsync(maxWait, _time, cancellationToken).ConfigureAwait(false); }
        catch (TimeoutException) { }
    }

    public Task PutRunnerStatusAsync(RunnerStatus status, CancellationToken cancellationToken = default)
    {
        _runners[status.Instance] = status;
        return Task.CompletedTask;
    }

    public Task<RunnerStatus?> GetRunnerStatusAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(_runners.Values.MaxBy(r => r.LastSeen));

    private Slot? Live(string jobId) =>
        _jobs.TryGetValue(jobId, out var slot) && !Expired(slot) ? slot : null;

    private bool Expired(Slot slot) => _time.GetUtcNow() - slot.Job.CreatedAt > _options.Retention;

    /// <summary>Drops the oldest jobs while any bound is exceeded or the oldest has expired.</summary>
    private void Trim()
    {
        while (_oldestFirst.First is { } oldest)
        {
            var slot = _jobs[oldest.Value];
            if (_jobs.Count <= _options.MaxJobs && _resultBytes <= _options.MaxResultBytes && !Expired(slot)) break;
            _oldestFirst.RemoveFirst();
            _jobs.Remove(oldest.Value);
            _resultBytes -= slot.ResultJson?.Length ?? 0;
            if (slot.Job.CacheKey is { } key && _jobByCacheKey.GetValueOrDefault(key) == oldest.Value) _jobByCacheKey.Remove(key);
            slot.SignalFinished(); // a waiter on a dropped job learns it at once (it will find no job)
        }
    }

    private sealed class Slot(JobRecord job, LinkedListNode<string> node)
    {
        private TaskCompletionSource? _finished;

        public JobRecord Job { get; set; } = job;
        public LinkedListNode<string> Node { get; } = node;
        public byte[]? ResultJson { get; set; }

        public Task WhenFinished() => (_finished ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        public void SignalFinished() => _finished?.TrySetResult();
    }
}
