using System.Diagnostics.Metrics;
using MediaGateway.Telemetry;

namespace MediaGateway.Functions.Telemetry;

/// <summary>
/// The gateway's metrics (meter <c>MediaGateway.Gateway</c>): how long a search request takes and how it ended, and
/// cache hits and misses (hit rate = hits / (hits + misses)). Every HTTP route's duration is also measured by ASP.NET
/// Core itself (<c>http.server.request.duration</c>).
/// </summary>
public sealed class GatewayMetrics
{
    public const string SearchDurationName = "mediagateway.search.duration";
    public const string CacheHitsName = "mediagateway.cache.hits";
    public const string CacheMissesName = "mediagateway.cache.misses";

    /// <summary>Bucket edges in seconds, dense around the 15 ms / 100 ms targets so p50 and p99 can be read off.</summary>
    private static readonly IReadOnlyList<double> LatencyBuckets = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.015, 0.025, 0.04, 0.06, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Histogram<double> _searchDuration;
    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _cacheMisses;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(TelemetryNames.Gateway);
        _searchDuration = meter.CreateHistogram(SearchDurationName, "s", "Time to answer POST /api/v1/search, by outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _cacheHits = meter.CreateCounter<long>(CacheHitsName, "{request}", "Searches answered from a cached result, by layer (memory or store).");
        _cacheMisses = meter.CreateCounter<long>(CacheMissesName, "{request}", "Searches that needed the runner (a new job or one already in flight).");
    }

    /// <param name="outcome">completed, cached, pending (202), failed, invalid (4xx) or error (5xx).</param>
    public void RecordSearch(TimeSpan elapsed, string outcome) =>
        _searchDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("mediagateway.outcome", outcome));

    /// <param name="layer">memory (this instance's cache) or store (a result another instance or an earlier run stored).</param>
    public void CacheHit(string layer) => _cacheHits.Add(1, new KeyValuePair<string, object?>("mediagateway.cache.layer", layer));

    public void CacheMiss() => _cacheMisses.Add(1);
}
