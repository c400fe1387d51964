namespace MediaGateway.Contracts.Jobs;

/// <summary>
/// Extends the lease on a received message, so work that outlasts its visibility timeout is not handed to a
/// second consumer while it runs (Azure Queue Storage: Update Message with a new visibility timeout).
/// </summary>
public interface IMessageLeases
{
    /// <summary>
    /// Makes <paramref name="message"/> invisible for <paramref name="visibilityTimeout"/> from now and returns it with
    /// its new pop receipt; the old receipt is void from then on. Fails when the lease was lost (it ran out and another
    /// consumer took the message, or the message is gone).
    /// </summary>
    Task<ReceivedMessage> RenewAsync(ReceivedMessage message, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default);
}
