using System.Text.Json;
using Azure.Storage.Queues;
using MediaGateway.Contracts.Jobs;

namespace MediaGateway.Contracts.Storage;

/// <summary>
/// <see cref="IJobQueue"/> on Azure Queue Storage. Clients must be created with Base64 message encoding,
/// the Functions queue extension's default, so a queue-triggered function can read what this writes.
/// </summary>
public sealed class AzureStorageJobQueue(QueueClient queue, QueueClient poisonQueue) : IJobQueue
{
    public async Task SendAsync(SearchJobMessage message, CancellationToken cancellationToken = default) =>
        await queue.SendMessageAsync(JsonSerializer.Serialize(message, ContractJson.Options), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        var response = await queue.ReceiveMessagesAsync(Math.Clamp(maxMessages, 1, 32), visibilityTimeout, cancellationToken).ConfigureAwait(false);
        return response.Value.Select(m => new ReceivedMessage(m.MessageId, m.PopReceipt, SafeText(m.Body), m.DequeueCount)).ToArray();
    }

    public async Task DeleteAsync(ReceivedMessage message, CancellationToken cancellationToken = default) =>
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);

    public async Task MoveToPoisonAsync(ReceivedMessage message, CancellationToken cancellationToken = default)
    {
        await poisonQueue.SendMessageAsync(message.Body, cancellationToken).ConfigureAwait(false);
        await DeleteAsync(message, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> GetApproximateLengthAsync(CancellationToken cancellationToken = default)
    {
        var props = await queue.GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
        return props.Value.ApproximateMessagesCount;
    }

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await poisonQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static string SafeText(BinaryData body) => body.ToString();
}
