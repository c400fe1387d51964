namespace MediaGateway.Tests.Support;

/// <summary>A clock the test moves by hand (only <see cref="GetUtcNow"/>; timers still run on real time).</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
