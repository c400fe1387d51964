using MediaGateway.Contracts.Batches;
using MediaGateway.Contracts.Jobs;

namespace MediaGateway.Functions.Batches;

/// <summary>The body of <c>GET /api/v1/batches/{id}</c> and of a 202: progress, and where the results are once done. The input key stays internal.</summary>
public sealed record BatchView
{
    public required string BatchId { get; init; }
    public required JobStatus Status { get; init; }
    public int Total { get; init; }
    public int Done { get; init; }
    public int Failed { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public string? Error { get; init; }
    /// <summary>The results' address (JSON Lines) once the batch has succeeded.</summary>
    public string? Results { get; init; }

    public static BatchView Of(BatchRecord b) => new()
    {
        BatchId = b.BatchId, Status = b.Status, Total = b.Total, Done = b.Done, Failed = b.Failed,
        CreatedAt = b.CreatedAt, UpdatedAt = b.UpdatedAt, Error = b.Error,
        Results = b.Status == JobStatus.Succeeded ? BatchFunctions.ResultsPath(b.BatchId) : null,
    };
}
