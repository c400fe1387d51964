using System.Text.Json;
using Azure.Storage.Queues;
using MediaGateway.Contracts.Jobs;
using Microsoft.Extensions.Logging;

namespace MediaGateway.Contracts.Storage;

/// <summary>
/// <see cref="IJobQueue"/> on Azure Queue Storage, with Base64 message encoding: the Functions queue
/// extension's default, so a queue-triggered function reads what this writes and vice versa.
/// </summary>
public sealed class AzureStorageJobQueue : IJobQueue
{
    private readonly QueueClient _queue;
    private readonly QueueClient _poison;
    private readonly ILogger _logger;

    public AzureStorageJobQueue(StorageClients clients, string queueName, string poisonQueueName, ILogger<AzureStorageJobQueue> logger)
    {
        _logger = logger;
        _poison = clients.Queue(poisonQueueName);
        _queue = clients.Queue(queueName, MoveUndecodableToPoisonAsync);
    }

    public async Task SendAsync(SearchJobMessage message, CancellationToken cancellationToken = default) =>
        await _queue.SendMessageAsync(JsonSerializer.Serialize(message, ContractJson.Options), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        var response = await _queue.ReceiveMessagesAsync(Math.Clamp(maxMessages, 1, 32), visibilityTimeout, cancellationToken).ConfigureAwait(false);
        return response.Value.Select(m => new ReceivedMessage(m.MessageId, m.PopReceipt, m.Body.ToString(), m.DequeueCount)).ToArray();
    }

    public async Task DeleteAsync(ReceivedMessage message, CancellationToken cancellationToken = default) =>
        await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);

    public async Task MoveToPoisonAsync(ReceivedMessage message, CancellationToken cancellationToken = default)
    {
        await _poison.SendMessageAsync(message.Body, cancellationToken).ConfigureAwait(false);
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

    // A message that is not Base64 (written by a client with other settings) is never handed to the
    // runner; the SDK raises this instead, and the raw body is moved to the poison queue as it came.
    private async Task MoveUndecodableToPoisonAsync(QueueMessageDecodingFailedEventArgs args)
    {
        if (args.ReceivedMessage is not { } message) return;
        _logger.LogWarning("Message {MessageId} is not Base64-encoded; moved to the poison queue", message.MessageId);
        await _poison.SendMessageAsync(message.Body, cancellationToken: args.CancellationToken).ConfigureAwait(false);
        await args.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, args.CancellationToken).ConfigureAwait(false);
    }
}
