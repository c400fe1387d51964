namespace MediaGateway.Contracts.Jobs;

/// <summary>A message taken from the queue; invisible to others until deleted or its lease expires.</summary>
public sealed record ReceivedMessage(string MessageId, string PopReceipt, string Body, long DequeueCount);

/// <summary>
/// The work queue between the gateway and the gpu-runner. At-least-once: a message is deleted only
/// after its result is durable, and reappears if the runner dies first.
/// </summary>
public interface IJobQueue
{
    Task SendAsync(SearchJobMessage message, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default);

    Task DeleteAsync(ReceivedMessage message, CancellationToken cancellationToken = default);

    /// <summary>Copies the message body to the poison queue, then deletes it from the work queue.</summary>
    Task MoveToPoisonAsync(ReceivedMessage message, CancellationToken cancellationToken = default);

    /// <summary>Approximate number of waiting messages; also proves the queue is reachable.</summary>
    Task<int> GetApproximateLengthAsync(CancellationToken cancellationToken = default);
}
