using System.Diagnostics.Metrics;
using MediaGateway.Contracts.Search;
using MediaGateway.Telemetry;

namespace MediaGateway.GpuRunner.Telemetry;

/// <summary>
/// The runner's metrics (meter <c>MediaGateway.Runner</c>): how long messages waited in the queue, how many queries a
/// batch held and how long each engine stage took, tagged with the backend that ran them (cpu or cuda).
/// </summary>
public sealed class RunnerMetrics
{
    public const string QueueWaitName = "mediagateway.queue.wait";
    public const string BatchSizeName = "mediagateway.batch.size";
    public const string StageDurationName = "mediagateway.engine.stage.duration";
    public const string BackendTag = "mediagateway.backend";

    private static readonly IReadOnlyList<double> SecondsBuckets = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.015, 0.025, 0.04, 0.06, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private static readonly IReadOnlyList<long> BatchBuckets = [1, 2, 4, 8, 16, 32];

    private readonly Histogram<double> _queueWait;
    private readonly Histogram<long> _batchSize;
    private readonly Histogram<double> _stageDuration;

    public RunnerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(TelemetryNames.Runner);
        _queueWait = meter.CreateHistogram(QueueWaitName, "s", "Time from the gateway's enqueue to the runner's admit, per message.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _batchSize = meter.CreateHistogram(BatchSizeName, "{query}", "Queries searched together in one engine call, by backend.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = BatchBuckets });
        _stageDuration = meter.CreateHistogram(StageDurationName, "s", "Engine time per batch and stage (plan, embed, search, enrich, rank), by backend.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
    }

    /// <summary>A message's wait, unless its clock reading is unusable (missing, or ahead of ours by clock skew).</summary>
    public void RecordQueueWait(DateTimeOffset enqueuedAt, DateTimeOffset admittedAt)
    {
        if (enqueuedAt == default || admittedAt < enqueuedAt) return;
        _queueWait.Record((admittedAt - enqueuedAt).TotalSeconds);
    }

    /// <summary>One engine call: its size and per-stage timings, as the engine reported them.</summary>
    public void RecordBatch(int size, string backend, StageTimings? timings)
    {
        var backendTag = new KeyValuePair<string, object?>(BackendTag, backend);
        _batchSize.Record(size, backendTag);
        if (timings is null) return;
        foreach (var (stage, ms) in new[] { ("plan", timings.Plan), ("embed", timings.Embed), ("search", timings.Search), ("enrich", timings.Enrich), ("rank", timings.Rank) })
            _stageDuration.Record(ms / 1000.0, backendTag, new KeyValuePair<string, object?>("mediagateway.stage", stage));
    }
}
