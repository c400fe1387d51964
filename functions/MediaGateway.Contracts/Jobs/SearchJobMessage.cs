using System.Text.Json.Serialization;
using MediaGateway.Contracts.Search;

namespace MediaGateway.Contracts.Jobs;

/// <summary>The queue message that asks the gpu-runner to run one search.</summary>
public sealed record SearchJobMessage
{
    /// <summary>2: the job id is a random handle and the message carries the request's cache key.</summary>
    public const int CurrentSchemaVersion = 2;

    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    [JsonPropertyName("jobId")] public required string JobId { get; init; }
    /// <summary>
    /// <see cref="SearchRequestNormalizer.CacheKeyFor"/> of <see cref="Request"/>. The runner recomputes it and
    /// rejects a message whose key, request and job record disagree, so no message can answer another request.
    /// </summary>
    [JsonPropertyName("cacheKey")] public required string CacheKey { get; init; }
    /// <summary>The request, already normalised by the gateway.</summary>
    [JsonPropertyName("request")] public required SearchRequest Request { get; init; }
    [JsonPropertyName("enqueuedAt")] public DateTimeOffset EnqueuedAt { get; init; }
    /// <summary>
    /// The catalog version the gateway asked for (what runners reported serving), part of <see cref="CacheKey"/>; null
    /// when no runner had reported one. A runner answers with the catalog it serves and says which in the response.
    /// </summary>
    [JsonPropertyName("catalogVersion")] public string? CatalogVersion { get; init; }

    /// <summary>
    /// Optional W3C <c>traceparent</c> of the gateway's send span, so the runner's spans join the caller's trace.
    /// Added within schema 2: a runner accepts messages with or without it (deploy the runner first, since an older
    /// runner refuses unknown fields). Checked with <see cref="Jobs.TraceParent"/>; a malformed one is dropped, not trusted.
    /// </summary>
    [JsonPropertyName("traceparent")] public string? TraceParent { get; init; }
}
