using System.Text.Json;
using System.Threading.Channels;
using MediaGateway.Contracts;
using MediaGateway.Contracts.Jobs;

namespace MediaGateway.Storage;

/// <summary>
/// <see cref="IJobQueue"/> in this process, for the embedded local run. It keeps the queue's contract
/// (leases that expire, dequeue counts, a bounded poison list) so the runner behaves as it does on Azure, and
/// wakes a waiting receiver the moment a message is sent, so no poll interval sits in the latency path.
/// Messages are kept as serialised JSON, exactly as they would travel.
/// </summary>
public sealed class InProcessJobQueue(TimeProvider? time = null) : IJobQueue, IMessageQueue
{
    /// <summary>Poison envelopes kept for inspection; older ones are dropped (the log has every one).</summary>
    public const int MaxPoisonMessages = 1_000;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private readonly List<Entry> _messages = [];
    // A one-slot signal: "something arrived since you last looked". Extra sends while it is set are no-ops.
    private readonly Channel<bool> _arrivals = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Queue<string> _poison = new();

    /// <summary>The poison queue's messages: <see cref="PoisonEnvelope"/> JSON documents.</summary>
    public IReadOnlyCollection<string> PoisonMessages
    {
        get { lock (_gate) return _poison.ToArray(); }
    }

    public Task SendAsync(SearchJobMessage message, CancellationToken cancellationToken = default) =>
        SendRawAsync(JsonSerializer.Serialize(message, ContractJson.Options));

    /// <summary>Enqueues any text, as a foreign writer of the queue could.</summary>
    public Task SendRawAsync(string body)
    {
        lock (_gate) _messages.Add(new Entry(Guid.NewGuid().ToString("N"), body));
        _arrivals.Writer.TryWrite(true);
        return Task.CompletedTask;
    }

    Task IMessageQueue.SendAsync(string body, CancellationToken cancellationToken) => SendRawAsync(body);

    public Task ReleaseAsync(ReceivedMessage message, TimeSpan visibleAfter, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var entry = _messages.Find(e => e.Id == message.MessageId && e.PopReceipt == message.PopReceipt)
                ?? throw new InvalidOperationException($"Message {message.MessageId} is not leased with that pop receipt.");
            entry.VisibleAt = _time.GetUtcNow() + visibleAfter;
        }
        // A waiting receiver may take it again (once visible) without sleeping out its whole wait.
        _arrivals.Writer.TryWrite(true);
        return Task.CompletedTask;
    }

    public Task<ReceivedMessage> RenewAsync(ReceivedMessage message, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var entry = _messages.Find(e => e.Id == message.MessageId && e.PopReceipt == message.PopReceipt)
                ?? throw new InvalidOperationException($"Message {message.MessageId} is not leased with that pop receipt.");
            entry.VisibleAt = _time.GetUtcNow() + visibilityTimeout;
            entry.PopReceipt = Guid.NewGuid().ToString("N");
            return Task.FromResult(message with { PopReceipt = entry.PopReceipt });
        }
    }

    public Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
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
        return Task.FromResult<IReadOnlyList<ReceivedMessage>>(taken);
    }

    public async Task WaitForMessagesAsync(TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(maxWait);
        try { await _arrivals.Reader.ReadAsync(wait.Token).ConfigureAwait(false); }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested) { }
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

    public async Task MoveToPoisonAsync(ReceivedMessage message, string reason, CancellationToken cancellationToken = default)
    {
        var envelope = PoisonEnvelope.For(message.MessageId, message.Body, message.DequeueCount, reason, _time.GetUtcNow()).ToJson();
        lock (_gate)
        {
            _poison.Enqueue(envelope);
            while (_poison.Count > MaxPoisonMessages) _poison.Dequeue();
        }
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
