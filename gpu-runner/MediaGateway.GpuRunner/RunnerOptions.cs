namespace MediaGateway.GpuRunner;

/// <summary>Queue-consumer settings, bound from <c>MediaGateway:Runner</c>.</summary>
public sealed class RunnerOptions
{
    public const string Section = "MediaGateway:Runner";

    /// <summary>Messages taken per receive; all of them are embedded and searched as one batch (queue maximum: 32).</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>How long a received message stays invisible to other runners; it reappears if this one dies.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>After this many failed attempts a message goes to the poison queue and its job is marked failed.</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>Pause between receives when the queue is empty.</summary>
    public TimeSpan IdleDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);
}
