namespace MediaGateway.Tests.Support;

/// <summary>Waits for a condition that another thread makes true, checking every 10 ms.</summary>
public static class Poll
{
    /// <summary>True once <paramref name="condition"/> holds; false if it still does not after <paramref name="timeout"/>.</summary>
    public static async Task<bool> UntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(10);
        }
        return true;
    }
}
