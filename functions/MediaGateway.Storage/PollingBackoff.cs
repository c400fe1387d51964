namespace MediaGateway.Storage;

/// <summary>
/// How long to wait between reads of storage that cannot notify (Azure queues and tables): <c>first</c> for
/// <c>keepShortFor</c> after the last activity, then growing by <c>growth</c> each read up to <c>max</c>.
/// Work comes in runs, so a reader that backed off at once would make the next request of a run wait for a
/// doubled interval; staying short for a while costs a bounded number of reads (keepShortFor / first) per run.
/// Not thread-safe: one per polling loop.
/// </summary>
public sealed class PollingBackoff
{
    private readonly TimeSpan _first, _max, _keepShortFor;
    private readonly double _growth;
    private readonly TimeProvider _time;
    private DateTimeOffset _lastActivity;
    private TimeSpan _current;

    public PollingBackoff(TimeSpan first, TimeSpan max, TimeSpan keepShortFor, double growth, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(first, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, first);
        ArgumentOutOfRangeException.ThrowIfLessThan(keepShortFor, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(growth, 1.0);
        (_first, _max, _keepShortFor, _growth, _time) = (first, max, keepShortFor, growth, time);
        Reset();
    }

    /// <summary>The wait before the next read; the one after it is longer once the short phase is over.</summary>
    public TimeSpan Next()
    {
        var wait = _current;
        if (_time.GetUtcNow() - _lastActivity >= _keepShortFor)
            _current = TimeSpan.FromTicks((long)Math.Min(_current.Ticks * _growth, _max.Ticks));
        return wait;
    }

    /// <summary>Something arrived: back to the shortest wait, and stay there for the short phase.</summary>
    public void Reset()
    {
        _lastActivity = _time.GetUtcNow();
        _current = _first;
    }
}
