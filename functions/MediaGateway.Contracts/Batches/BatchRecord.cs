using System.Text.Json.Serialization;
using MediaGateway.Contracts.Jobs;

namespace MediaGateway.Contracts.Batches;

/// <summary>The state of one batch search as the batch store keeps it; changed only by conditional writes.</summary>
public sealed record BatchRecord
{
    [JsonPropertyName("batchId")] public required string BatchId { get; init; }
    [JsonPropertyName("status")] public required JobStatus Status { get; init; }
    /// <summary>SHA-256 of the stored, normalised queries: internal. A queue message must carry it to act on this batch.</summary>
    [JsonPropertyName("inputKey")] public required string InputKey { get; init; }
    [JsonPropertyName("total")] public int Total { get; init; }
    /// <summary>Queries answered so far (failed ones included).</summary>
    [JsonPropertyName("done")] public int Done { get; init; }
    /// <summary>Of <see cref="Done"/>, how many failed; their lines in the results say why.</summary>
    [JsonPropertyName("failed")] public int Failed { get; init; }
    [JsonPropertyName("createdAt")] public DateTimeOffset CreatedAt { get; init; }
    [JsonPropertyName("updatedAt")] public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Why the whole batch failed (escaped text).</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }
}
