using System.Diagnostics;

namespace MediaGateway.Engine.Pipeline;

/// <summary>
/// The engine's spans, one per stage of a batch (plan, embed, admit, search, enrich, rank), children of whatever span
/// is current when the batch starts (the runner's). BCL only: the engine does not depend on OpenTelemetry.
/// </summary>
public static class EngineActivity
{
    /// <summary>Equals <c>MediaGateway.Telemetry.TelemetryNames.Engine</c>.</summary>
    public const string SourceName = "MediaGateway.Engine";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Ends <paramref name="current"/> (if any) and starts the stage <paramref name="next"/> as its sibling.</summary>
    public static Activity? NextStage(Activity? current, string next, int batchSize)
    {
        current?.Dispose();
        var activity = Source.StartActivity(next);
        activity?.SetTag("mediagateway.batch.size", batchSize);
        return activity;
    }
}
