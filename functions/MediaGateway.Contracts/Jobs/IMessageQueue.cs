namespace MediaGateway.Contracts.Jobs;

/// <summary>
/// A storage queue carrying any text, as the Functions queue trigger sees one: what queue-triggered functions
/// (batch jobs) read, and what the local host's trigger pump takes messages from. At-least-once, with leases.
/// </summary>
public interface IMessageQueue : IMessageLeases
{
    Task SendAsync(string body, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ReceivedMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default);

    /// <summary>Returns when a message may have arrived, or after <paramref name="maxWait"/>.</summary>
    Task WaitForMessagesAsync(TimeSpan maxWait, CancellationToken cancellationToken = default);

    Task DeleteAsync(ReceivedMessage message, CancellationToken cancellationToken = default);

    /// <summary>Gives a leased message back, visible again after <paramref name="visibleAfter"/> (a failed attempt, to be retried).</summary>
    Task ReleaseAsync(ReceivedMessage message, TimeSpan visibleAfter, CancellationToken cancellationToken = default);

    /// <summary>Puts a bounded <see cref="PoisonEnvelope"/> on the poison queue ("&lt;queue&gt;-poison"), then deletes the message.</summary>
    Task MoveToPoisonAsync(ReceivedMessage message, string reason, CancellationToken cancellationToken = default);

    Task<int> GetApproximateLengthAsync(CancellationToken cancellationToken = default);
}
