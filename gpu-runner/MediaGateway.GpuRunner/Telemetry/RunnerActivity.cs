using System.Diagnostics;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Telemetry;

namespace MediaGateway.GpuRunner.Telemetry;

/// <summary>
/// The runner's spans. A batch is one <c>process search-jobs</c> span: when all its messages come from one trace (one
/// caller's search, the usual case at low load) it is a child of that trace's send span, so the caller's trace runs
/// from the HTTP request through the engine's stages to the stored result; when they come from several, it starts a
/// trace of its own and links to each. Either way each job's <c>store</c> span sits in the job's own trace.
/// </summary>
public static class RunnerActivity
{
    public static readonly ActivitySource Source = new(TelemetryNames.Runner);

    /// <param name="parents">The remote parent of each message of the batch (null where it carried none, or a malformed one).</param>
    public static Activity? StartBatch(IReadOnlyList<ActivityContext?> parents)
    {
        if (!Source.HasListeners()) return null;
        var known = parents.OfType<ActivityContext>().ToArray();
        var oneTrace = known.Length > 0 && known.All(c => c.TraceId == known[0].TraceId);
        var activity = Source.StartActivity("process search-jobs", ActivityKind.Consumer,
            parentContext: oneTrace ? known[0] : default,
            links: known.Select(c => new ActivityLink(c)));
        activity?.SetTag("messaging.destination.name", StorageNames.SearchQueue);
        activity?.SetTag("messaging.batch.message_count", parents.Count);
        return activity;
    }

    /// <summary>A job's <c>store</c> span: under the batch when they share a trace, else in the job's own trace, linked to the batch.</summary>
    public static Activity? StartStore(ActivityContext? jobParent, Activity? batch)
    {
        if (!Source.HasListeners()) return null;
        var inBatchTrace = batch is not null && (jobParent is null || jobParent.Value.TraceId == batch.TraceId);
        return inBatchTrace
            ? Source.StartActivity("store", ActivityKind.Internal, batch!.Context)
            : Source.StartActivity("store", ActivityKind.Internal, jobParent ?? default,
                links: batch is null ? null : [new ActivityLink(batch.Context)]);
    }
}
