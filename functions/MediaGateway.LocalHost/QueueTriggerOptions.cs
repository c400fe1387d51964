namespace MediaGateway.LocalHost;

/// <summary>How the local trigger pump runs queue-triggered functions, bound from <c>MediaGateway:LocalHost:QueueTriggers</c>; the defaults are the Functions host's.</summary>
public sealed class QueueTriggerOptions
{
    public const string Section = "MediaGateway:LocalHost:QueueTriggers";

    /// <summary>Attempts before a message goes to the poison queue; equals host.json's <c>queues.maxDequeueCount</c> (a test checks).</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>Messages of one queue handled at once (the host's <c>batchSize</c> is 16; a batch job is heavy, so fewer here).</summary>
    public int MaxConcurrentCalls { get; set; } = 4;

    /// <summary>
    /// Lease taken on a message, renewed every third of it while its function runs (as the Functions host extends a
    /// running message's visibility): a batch of any length is not delivered twice, and one whose host died comes back within it.
    /// </summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>When a failed message may be tried again (the host's <c>visibilityTimeout</c>, 0 by default; a little here so a failing message does not spin).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between looks at an idle queue; the in-process queues wake the pump on arrival.</summary>
    public TimeSpan MaxIdleDelay { get; set; } = TimeSpan.FromSeconds(1);
}
