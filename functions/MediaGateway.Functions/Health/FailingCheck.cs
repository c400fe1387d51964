using System.Text.Json.Serialization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MediaGateway.Functions.Health;

/// <summary>
/// A dependency that made the gateway unhealthy, as anonymous callers see it: its name, how long its check took,
/// and whether it was cut off by the check timeout. No description: those can quote exceptions and host names.
/// </summary>
public sealed record FailingCheck(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("latencyMs")] double LatencyMs,
    [property: JsonPropertyName("timedOut")] bool TimedOut)
{
    /// <summary>The text the health check service gives a check it cut off (its own, not ours).</summary>
    private const string TimeoutDescription = "A timeout occurred while running check.";

    /// <summary>
    /// Every unhealthy entry; for the runner, also each server it reported down ("gpuRunner/milvus"), with the
    /// latency its own check measured.
    /// </summary>
    public static IReadOnlyList<FailingCheck> Of(HealthReport report)
    {
        var failing = new List<FailingCheck>();
        foreach (var (name, entry) in report.Entries)
        {
            if (entry.Status != HealthStatus.Unhealthy) continue;
            failing.Add(new FailingCheck(name, entry.Status.ToString(), Math.Round(entry.Duration.TotalMilliseconds, 1), entry.Description == TimeoutDescription));
            foreach (var (key, value) in entry.Data)
            {
                if (value is IReadOnlyDictionary<string, object> dependency && dependency.TryGetValue("healthy", out var healthy) && healthy is false)
                {
                    var latency = dependency.TryGetValue("latencyMs", out var ms) && ms is double d ? d : 0;
                    failing.Add(new FailingCheck($"{name}/{key}", HealthStatus.Unhealthy.ToString(), Math.Round(latency, 1), false));
                }
            }
        }
        return failing;
    }
}
