using System.Text.Json.Serialization;

namespace MediaGateway.Contracts.Jobs;

/// <summary>What the gpu-runner last reported about itself; the health endpoint reads it.</summary>
public sealed record RunnerStatus
{
    [JsonPropertyName("instance")] public required string Instance { get; init; }
    [JsonPropertyName("backend")] public required string Backend { get; init; }
    [JsonPropertyName("backendReason")] public string? BackendReason { get; init; }
    [JsonPropertyName("model")] public string? Model { get; init; }
    [JsonPropertyName("catalogItems")] public int CatalogItems { get; init; }
    /// <summary>The catalog (and model) version the runner serves; part of the gateway's cache keys. Null before the engine is ready.</summary>
    [JsonPropertyName("catalogVersion")] public string? CatalogVersion { get; init; }
    [JsonPropertyName("ready")] public bool Ready { get; init; }
    [JsonPropertyName("detail")] public string? Detail { get; init; }
    [JsonPropertyName("lastSeen")] public DateTimeOffset LastSeen { get; init; }
    /// <summary>When the runner last finished a batch, if it has; written with each batch.</summary>
    [JsonPropertyName("lastBatchAt")] public DateTimeOffset? LastBatchAt { get; init; }
    /// <summary>Where the engine's rank stage scores candidates: "cuda" (the re-rank kernel) or "cpu".</summary>
    [JsonPropertyName("rankDevice")] public string? RankDevice { get; init; }
    /// <summary>Why the rank stage left the GPU, when it did.</summary>
    [JsonPropertyName("rankFallbackReason")] public string? RankFallbackReason { get; init; }
    /// <summary>On the CUDA backend, which tensor-core kernel takes batches of 64+ on the loaded catalog and why (the timing
    /// at load, e.g. "batches of 64+: 64 queries per block up to k = 64 (…)"); null on the CPU.</summary>
    [JsonPropertyName("batchKernel")] public string? BatchKernel { get; init; }
    /// <summary>The servers the engine uses (the vector store), checked at each heartbeat; null before the engine is ready.</summary>
    [JsonPropertyName("dependencies")] public IReadOnlyList<DependencyStatus>? Dependencies { get; init; }
}
