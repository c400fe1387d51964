namespace MediaGateway.Storage;

/// <summary>Bounds of the in-process result store, bound from <c>MediaGateway:Storage:InProcess</c>.</summary>
public sealed class InProcessStoreOptions
{
    public const string Section = "MediaGateway:Storage:InProcess";

    /// <summary>Jobs (with their results) kept at most; the oldest go first.</summary>
    public int MaxJobs { get; set; } = 10_000;

    /// <summary>Bytes of result JSON kept at most (a result of 10 hits is ≈ 10 KB; of 100 hits, ≈ 64 KB).</summary>
    public long MaxResultBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>A job and its result are forgotten this long after the job was created.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Batch searches kept at most (with their queries and results); the oldest go first.</summary>
    public int MaxBatches { get; set; } = 100;

    /// <summary>Bytes of batch queries and results kept at most (1,000 results of 10 hits ≈ 10 MB).</summary>
    public long MaxBatchBytes { get; set; } = 256L * 1024 * 1024;
}
