using MediaGateway.Contracts;
using MediaGateway.Contracts.Jobs;
using Microsoft.Extensions.Logging;

namespace MediaGateway.Storage;

/// <summary>
/// Holds the leases of messages while their work runs: renews each one every third of its lease, so a batch that
/// outlasts the visibility timeout is not given to a second consumer mid-run, while the lease itself stays short
/// and a dead consumer's messages come back within one lease. The renewals are the batch's heartbeat: they stop
/// when the process does. Deleting, poisoning or releasing a held message goes through <see cref="SettleAsync"/>,
/// which uses the message's latest pop receipt (each renewal voids the previous one) and never races a renewal.
/// </summary>
public sealed class LeaseKeeper : IAsyncDisposable
{
    private readonly IMessageLeases _queue;
    private readonly TimeSpan _lease;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, ReceivedMessage> _held = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;
    private int _renewals;

    private LeaseKeeper(IMessageLeases queue, IEnumerable<ReceivedMessage> messages, TimeSpan lease, TimeProvider time, ILogger logger)
    {
        (_queue, _lease, _time, _logger) = (queue, lease, time, logger);
        foreach (var m in messages) _held[m.MessageId] = m;
        _renewing = RenewAsync(_stop.Token);
    }

    /// <summary>Starts renewing <paramref name="messages"/>, each for <paramref name="lease"/> at a time, until settled or disposed.</summary>
    public static LeaseKeeper Start(IMessageLeases queue, IEnumerable<ReceivedMessage> messages, TimeSpan lease, TimeProvider time, ILogger logger) =>
        new(queue, messages, lease, time, logger);

    /// <summary>How often the held leases are renewed: a third of the lease, so two renewals may fail or run late before one runs out.</summary>
    public TimeSpan RenewEvery => _lease / 3;

    /// <summary>Successful renewals so far (all messages together).</summary>
    public int Renewals => Volatile.Read(ref _renewals);

    /// <summary>
    /// Runs <paramref name="action"/> (delete, poison, release) on the message's current receipt, then stops renewing it.
    /// A message this keeper does not hold is passed through as it is.
    /// </summary>
    public async Task SettleAsync(ReceivedMessage message, Func<ReceivedMessage, Task> action)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await action(_held.GetValueOrDefault(message.MessageId, message)).ConfigureAwait(false);
            _held.Remove(message.MessageId);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task RenewAsync(CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(RenewEvery, _time, stop).ConfigureAwait(false);
                await _gate.WaitAsync(stop).ConfigureAwait(false);
                try
                {
                    foreach (var message in _held.Values.ToArray())
                    {
                        try
                        {
                            _held[message.MessageId] = await _queue.RenewAsync(message, _lease, stop).ConfigureAwait(false);
                            Interlocked.Increment(ref _renewals);
                        }
                        catch (Exception e) when (e is not OperationCanceledException)
                        {
                            // Its old receipt holds until the lease runs out; the next round tries again. If the lease
                            // is lost for good, the message's work ends in a conditional write that keeps the first result.
                            _logger.LogWarning("Could not renew the lease on message {MessageId} ({Error}); trying again in {Seconds:F1} s",
                                SafeText.Escape(message.MessageId, 100), SafeText.Escape(e.Message), RenewEvery.TotalSeconds);
                        }
                    }
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewing.ConfigureAwait(false);
        _stop.Dispose();
    }
}
