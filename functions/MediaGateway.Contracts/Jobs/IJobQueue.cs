namespace MediaGateway.Contracts.Jobs;

/// <summary>
/// The work queue between the gateway and the gpu-runner. At-least-once: a message is deleted only
/// after its result is durable, and reappears if the runner dies first.
/// </summary>
public interface IJobQueue : IMessageLeases
{
    Task SendAsync(SearchJobMessage message, CancellationToken cancellationToken = default);

    /// <summary>Takes up to <paramref name="maxMessages"/> visible messages at once; never waits for more to arrive.</summary>
    Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns when a message may have arrived, or after <paramref name="maxWait"/>. The in-process queue wakes the
    /// waiter the moment a message is sent; a remote queue can only wait out the interval.
    /// </summary>
    Task WaitForMessagesAsync(TimeSpan maxWait, CancellationToken cancellationToken = default);

    Task DeleteAsync(ReceivedMessage message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Puts a bounded <see cref="PoisonEnvelope"/> (the reason and the start of the body) on the poison queue,
    /// then deletes the message from the work queue.
    /// </summary>
    Task MoveToPoisonAsync(ReceivedMessage message, string reason, CancellationToken cancellationToken = default);

    /// <summary>Approximate number of waiting messages; also proves the queue is reachable.</summary>
    Task<int> GetApproximateLengthAsync(CancellationToken cancellationToken = default);
}
