using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using MediaGateway.Contracts.Search;

namespace MediaGateway.Contracts.Jobs;

/// <summary>The queue message that asks the gpu-runner to run one search.</summary>
public sealed record SearchJobMessage
{
    public const int CurrentSchemaVersion = 1;

    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    [JsonPropertyName("jobId")] public required string JobId { get; init; }
    /// <summary>The request, already normalised by the gateway.</summary>
    [JsonPropertyName("request")] public required SearchRequest Request { get; init; }
    [JsonPropertyName("enqueuedAt")] public DateTimeOffset EnqueuedAt { get; init; }
}

public enum JobStatus { Queued, Running, Succeeded, Failed }

/// <summary>The one rule for job ids, checked on HTTP routes and on queue messages alike.</summary>
public static partial class JobIds
{
    public const string Rule = "1–64 letters, digits or dashes";

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    [GeneratedRegex("^[A-Za-z0-9-]{1,64}$")]
    private static partial Regex Pattern();
}

/// <summary>The state of one job as the result store keeps it.</summary>
public sealed record JobRecord
{
    [JsonPropertyName("jobId")] public required string JobId { get; init; }
    [JsonPropertyName("status")] public required JobStatus Status { get; init; }
    [JsonPropertyName("query")] public string? Query { get; init; }
    [JsonPropertyName("createdAt")] public DateTimeOffset CreatedAt { get; init; }
    [JsonPropertyName("updatedAt")] public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Why the job failed, in words a caller can act on.</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }
}

/// <summary>What the gpu-runner last reported about itself; the health endpoint reads it.</summary>
public sealed record RunnerStatus
{
    [JsonPropertyName("instance")] public required string Instance { get; init; }
    [JsonPropertyName("backend")] public required string Backend { get; init; }
    [JsonPropertyName("backendReason")] public string? BackendReason { get; init; }
    [JsonPropertyName("model")] public string? Model { get; init; }
    [JsonPropertyName("catalogItems")] public int CatalogItems { get; init; }
    [JsonPropertyName("ready")] public bool Ready { get; init; }
    [JsonPropertyName("detail")] public string? Detail { get; init; }
    [JsonPropertyName("lastSeen")] public DateTimeOffset LastSeen { get; init; }
    /// <summary>The servers the engine uses (the vector store), checked at each heartbeat; null before the engine is ready.</summary>
    [JsonPropertyName("dependencies")] public IReadOnlyList<DependencyStatus>? Dependencies { get; init; }
}

/// <summary>Storage names shared by the gateway, the runner and the Bicep templates.</summary>
public static class StorageNames
{
    public const string SearchQueue = "search-jobs";
    /// <summary>The Functions convention: "&lt;queue&gt;-poison".</summary>
    public const string SearchPoisonQueue = SearchQueue + "-poison";
    public const string JobsTable = "jobs";
    public const string ResultsContainer = "results";
}
