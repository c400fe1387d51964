using MediaGateway.Storage;
using MediaGateway.Tests.Support;

namespace MediaGateway.Tests.Storage;

public sealed class PollingBackoffTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    /// <summary>Plays a polling loop: waits what the backoff says, on a clock that moves only by those waits.</summary>
    private static List<double> Waits(PollingBackoff backoff, ManualClock clock, int reads)
    {
        var waits = new List<double>();
        for (var i = 0; i < reads; i++)
        {
            var wait = backoff.Next();
            waits.Add(wait.TotalMilliseconds);
            clock.Advance(wait);
        }
        return waits;
    }

    [Fact]
    public void Stays_at_the_first_wait_for_the_short_phase_then_grows_to_the_maximum()
    {
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        var backoff = new PollingBackoff(10 * Ms, 1000 * Ms, 100 * Ms, growth: 2, clock);

        var waits = Waits(backoff, clock, 16);

        // Reads 10 ms apart through the 100 ms short phase (the one at 100 ms still waits 10); then 20, 40, … capped at 1 s.
        Assert.Equal([10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 20, 40, 80, 160, 320], waits);
        Assert.Equal([640, 1000, 1000], Waits(backoff, clock, 3));
    }

    [Fact]
    public void Activity_brings_the_wait_back_to_the_first_and_restarts_the_short_phase()
    {
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        var backoff = new PollingBackoff(10 * Ms, 1000 * Ms, 50 * Ms, growth: 2, clock);
        Waits(backoff, clock, 12);

        backoff.Reset();

        Assert.Equal([10, 10, 10, 10, 10, 10, 20], Waits(backoff, clock, 7));
    }

    [Fact]
    public void Without_a_short_phase_it_grows_from_the_first_read()
    {
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        var backoff = new PollingBackoff(10 * Ms, 200 * Ms, TimeSpan.Zero, growth: 1.5, clock);

        Assert.Equal([10, 15, 22.5, 33.75], Waits(backoff, clock, 4).Select(w => Math.Round(w, 2)));
    }

    [Theory]
    [InlineData(0, 100, 10, 2.0)]   // no first wait
    [InlineData(10, 5, 10, 2.0)]    // maximum below the first
    [InlineData(10, 100, -1, 2.0)]  // negative short phase
    [InlineData(10, 100, 10, 1.0)]  // never grows
    public void Rejects_settings_that_would_spin_or_never_back_off(int first, int max, int keepShort, double growth) =>
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => new PollingBackoff(first * Ms, max * Ms, keepShort * Ms, growth, new ManualClock(DateTimeOffset.UnixEpoch)));
}
