namespace MediaGateway.Contracts.Jobs;

public enum JobStatus { Queued, Running, Succeeded, Failed }

public static class JobStatusExtensions
{
    /// <summary>Succeeded or failed: a finished job is never run again nor rewritten.</summary>
    public static bool IsFinished(this JobStatus status) => status is JobStatus.Succeeded or JobStatus.Failed;
}
