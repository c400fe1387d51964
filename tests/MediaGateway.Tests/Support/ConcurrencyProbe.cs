using System.Reflection;

namespace MediaGateway.Tests.Support;

/// <summary>
/// Wraps an implementation of <typeparamref name="T"/>: every call goes through, and for the methods named in
/// <see cref="Watched"/> it records how many were in flight at once, holding each open for <see cref="Hold"/>
/// so that calls made one after another never overlap. Tells whether the caller runs them together.
/// </summary>
public class ConcurrencyProbe<T> : DispatchProxy where T : class
{
    private T _inner = null!;
    private int _inFlight;

    public ISet<string> Watched { get; private set; } = new HashSet<string>();
    public TimeSpan Hold { get; private set; }
    public int MaxInFlight { get; private set; }

    public static (T Proxy, ConcurrencyProbe<T> Probe) Wrap(T inner, TimeSpan hold, params string[] watched)
    {
        var proxy = Create<T, ConcurrencyProbe<T>>();
        var probe = (ConcurrencyProbe<T>)(object)proxy;
        (probe._inner, probe.Hold, probe.Watched) = (inner, hold, new HashSet<string>(watched));
        return (proxy, probe);
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        var result = method!.Invoke(_inner, args);
        if (!Watched.Contains(method.Name) || result is not Task task) return result;
        var inFlight = Interlocked.Increment(ref _inFlight);
        lock (this) MaxInFlight = Math.Max(MaxInFlight, inFlight);
        return Held((dynamic)task);
    }

    private async Task<TResult> Held<TResult>(Task<TResult> task)
    {
        try { await Task.Delay(Hold); return await task; }
        finally { Interlocked.Decrement(ref _inFlight); }
    }

    private async Task Held(Task task)
    {
        try { await Task.Delay(Hold); await task; }
        finally { Interlocked.Decrement(ref _inFlight); }
    }
}
