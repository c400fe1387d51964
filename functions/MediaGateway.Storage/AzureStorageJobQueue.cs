using System.Text.Json;
using Azure.Storage.Queues;
using MediaGateway.Contracts;
using MediaGateway.Contracts.Jobs;
using Microsoft.Extensions.Logging;

namespace MediaGateway.Storage;

/// <summary>
/// <see cref="IJobQueue"/> on Azure Queue Storage, with Base64 message encoding: the Functions queue
/// extension's default, so a queue-triggered function reads what this writes and vice versa.
/// </summary>
public sealed class AzureStorageJobQueue : IJobQueue, IMessageQueue
{
    private readonly QueueClient _queue;
    private readonly QueueClient _poison;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public AzureStorageJobQueue(StorageClients clients, string queueName, string poisonQueueName, TimeProvider time, ILogger<AzureStorageJobQueue> logger)
    {
        (_time, _logger) = (time, logger);
        _poison = clients.Queue(poisonQueueName);
        _queue = clients.Queue(queueName, MoveUndecodableToPoisonAsync);
    }

    public async Task SendAsync(SearchJobMessage message, CancellationToken cancellationToken = default) =>
        await _queue.SendMessageAsync(JsonSerializer.Serialize(message, ContractJson.Options), cancellationToken).ConfigureAwait(false);

    /// <summary>Any text, for queue-triggered functions (<see cref="IMessageQueue"/>).</summary>
    public async Task SendAsync(string body, CancellationToken cancellationToken = default) =>
        await _queue.SendMessageAsync(body, cancellationToken).ConfigureAwait(false);

    public async Task ReleaseAsync(ReceivedMessage message, TimeSpan visibleAfter, CancellationToken cancellationToken = default) =>
        await _queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: visibleAfter, cancellationToken: cancellationToken).ConfigureAwait(false);

    public async Task<ReceivedMessage> RenewAsync(ReceivedMessage message, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        var receipt = await _queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: visibilityTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        return message with { PopReceipt = receipt.Value.PopReceipt };
    }

    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        var response = await _queue.ReceiveMessagesAsync(Math.Clamp(maxMessages, 1, 32), visibilityTimeout, cancellationToken).ConfigureAwait(false);
        return response.Value.Select(m => new ReceivedMessage(m.MessageId, m.PopReceipt, m.Body.ToString(), m.DequeueCount)).ToArray();
    }

    /// <summary>Queue Storage has no push; the runner's idle back-off decides how long this is.</summary>
    public Task WaitForMessagesAsync(TimeSpan maxWait, CancellationToken cancellationToken = default) =>
        Task.Delay(maxWait, _time, cancellationToken);

    public async Task DeleteAsync(ReceivedMessage message, CancellationToken cancellationToken = default) =>
        await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);

    public async Task MoveToPoisonAsync(ReceivedMessage message, string reason, CancellationToken cancellationToken = default)
    {
        var envelope = PoisonEnvelope.For(message.MessageId, message.Body, message.DequeueCount, reason, _time.GetUtcNow());
        await _poison.SendMessageAsync(envelope.ToJson(), cancellationToken).ConfigureAwait(false);
        await DeleteAsync(message, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> GetApproximateLengthAsync(CancellationToken cancellationToken = default)
    {
        var props = await _queue.GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
        return props.Value.ApproximateMessagesCount;
    }

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        await _queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await _poison.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    // A message that is not Base64 (written by a client with other settings) is never handed to the runner:
    // the SDK leaves it out of the receive and raises this instead. It must never throw, or the whole receive
    // fails and the valid messages taken with it wait; if the move fails, the message reappears after its lease
    // and is tried again, while its batchmates go on.
    private async Task MoveUndecodableToPoisonAsync(QueueMessageDecodingFailedEventArgs args)
    {
        if (args.ReceivedMessage is not { } message) return;
        try
        {
            var envelope = PoisonEnvelope.For(message.MessageId, message.Body?.ToString() ?? "", message.DequeueCount, "The message is not Base64-encoded.", _time.GetUtcNow());
            await _poison.SendMessageAsync(envelope.ToJson(), cancellationToken: args.CancellationToken).ConfigureAwait(false);
            await args.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, args.CancellationToken).ConfigureAwait(false);
            _logger.LogWarning("Message {MessageId} is not Base64-encoded; moved to the poison queue", SafeText.Escape(message.MessageId, 100));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError("Message {MessageId} is not Base64-encoded and could not be moved to the poison queue ({Error}); it will be tried again after its lease",
                SafeText.Escape(message.MessageId, 100), SafeText.Escape(e.Message));
        }
    }
}
