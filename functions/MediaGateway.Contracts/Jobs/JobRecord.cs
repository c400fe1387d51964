using System.Text.Json.Serialization;

namespace MediaGateway.Contracts.Jobs;

/// <summary>The state of one job as the result store keeps it.</summary>
public sealed record JobRecord
{
    [JsonPropertyName("jobId")] public required string JobId { get; init; }
    [JsonPropertyName("status")] public required JobStatus Status { get; init; }
    /// <summary>The request's cache key: internal, never shown to callers; the runner checks messages against it.</summary>
    [JsonPropertyName("cacheKey")] public string? CacheKey { get; init; }
    [JsonPropertyName("query")] public string? Query { get; init; }
    [JsonPropertyName("createdAt")] public DateTimeOffset CreatedAt { get; init; }
    [JsonPropertyName("updatedAt")] public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Why the job failed, in words a caller can act on (escaped: no control characters).</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }
}
