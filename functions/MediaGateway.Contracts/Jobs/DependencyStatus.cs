using System.Text.Json.Serialization;

namespace MediaGateway.Contracts.Jobs;

/// <summary>A server the runner depends on (Milvus…), as its last heartbeat found it.</summary>
public sealed record DependencyStatus
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("healthy")] public bool Healthy { get; init; }
    [JsonPropertyName("latencyMs")] public double LatencyMs { get; init; }
    [JsonPropertyName("detail")] public string? Detail { get; init; }
}
