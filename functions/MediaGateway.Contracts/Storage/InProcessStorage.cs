using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Contracts.Search;

namespace MediaGateway.Contracts.Storage;

/// <summary>
/// <see cref="IJobQueue"/> in this process, for the embedded local run. It keeps the queue's contract
/// (leases that expire, dequeue counts, a poison list) so the runner behaves as it does on Azure.
/// Messages are kept as serialised JSON, exactly as they would travel.
/// </summary>
public sealed class InProcessJobQueue(TimeProvider? time = null) : IJobQueue
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private readonly List<Entry> _messages = [];
    private readonly Channel<bool> _arrivals = Channel.CreateUnbounded<bool>();
    private readonly ConcurrentQueue<string> _poison = new();

    public IReadOnlyCollection<string> PoisonMessages => _poison.ToArray();

    public Task SendAsync(SearchJobMessage message, CancellationToken cancellationToken = default) =>
        SendRawAsync(JsonSerializer.Serialize(message, ContractJson.Options));

    /// <summary>Enqueues any text, as a foreign writer of the queue could.</summary>
    public Task SendRawAsync(string body)
    {
        lock (_gate) _messages.Add(new Entry(Guid.NewGuid().ToString("N"), body));
        _arrivals.Writer.TryWrite(true);
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        var taken = TakeVisible(maxMessages, visibilityTimeout);
        if (taken.Count > 0) return taken;
        // Wait briefly for an arrival instead of spinning; the runner polls again either way.
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(TimeSpan.FromMilliseconds(250));
        try { await _arrivals.Reader.ReadAsync(wait.Token).ConfigureAwait(false); }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested) { }
        return TakeVisible(maxMessages, visibilityTimeout);
    }

    private List<ReceivedMessage> TakeVisible(int maxMessages, TimeSpan visibilityTimeout)
    {
        var now = _time.GetUtcNow();
        var taken = new List<ReceivedMessage>();
        lock (_gate)
        {
            foreach (var e in _messages)
            {
                if (taken.Count >= maxMessages) break;
                if (e.VisibleAt > now) continue;
                e.VisibleAt = now + visibilityTimeout;
                e.DequeueCount++;
                e.PopReceipt = Guid.NewGuid().ToString("N");
                taken.Add(new ReceivedMessage(e.Id, e.PopReceipt, e.Body, e.DequeueCount));
            }
        }
        return taken;
    }

    public Task DeleteAsync(ReceivedMessage message, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var index = _messages.FindIndex(e => e.Id == message.MessageId && e.PopReceipt == message.PopReceipt);
            if (index < 0) throw new InvalidOperationException($"Message {message.MessageId} is not leased with that pop receipt.");
            _messages.RemoveAt(index);
        }
        return Task.CompletedTask;
    }

    public async Task MoveToPoisonAsync(ReceivedMessage message, CancellationToken cancellationToken = default)
    {
        _poison.Enqueue(message.Body);
        await DeleteAsync(message, cancellationToken).ConfigureAwait(false);
    }

    public Task<int> GetApproximateLengthAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate) return Task.FromResult(_messages.Count);
    }

    private sealed class Entry(string id, string body)
    {
        public string Id { get; } = id;
        public string Body { get; } = body;
        public DateTimeOffset VisibleAt { get; set; } = DateTimeOffset.MinValue;
        public long DequeueCount { get; set; }
        public string PopReceipt { get; set; } = "";
    }
}

/// <summary><see cref="IResultStore"/> in this process, for the embedded local run; results are stored as JSON.</summary>
public sealed class InProcessResultStore : IResultStore
{
    private readonly ConcurrentDictionary<string, JobRecord> _jobs = new();
    private readonly ConcurrentDictionary<string, string> _results = new();
    private readonly ConcurrentDictionary<string, RunnerStatus> _runners = new();

    public Task<JobRecord?> GetJobAsync(string jobId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_jobs.GetValueOrDefault(jobId));

    public Task PutJobAsync(JobRecord job, CancellationToken cancellationToken = default)
    {
        _jobs[job.JobId] = job;
        return Task.CompletedTask;
    }

    public Task CompleteJobAsync(JobRecord job, SearchResponse result, CancellationToken cancellationToken = default)
    {
        _results[job.JobId] = JsonSerializer.Serialize(result, ContractJson.Options);
        _jobs[job.JobId] = job with { Status = JobStatus.Succeeded };
        return Task.CompletedTask;
    }

    public Task<SearchResponse?> GetResultAsync(string jobId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_results.TryGetValue(jobId, out var json) ? JsonSerializer.Deserialize<SearchResponse>(json, ContractJson.Options) : null);

    public Task PutRunnerStatusAsync(RunnerStatus status, CancellationToken cancellationToken = default)
    {
        _runners[status.Instance] = status;
        return Task.CompletedTask;
    }

    public Task<RunnerStatus?> GetRunnerStatusAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(_runners.Values.MaxBy(r => r.LastSeen));
}
