using System.Text.Json.Serialization;

namespace MediaGateway.Contracts.Imports;

/// <summary>
/// The "current catalog" pointer every runner replica follows: which imported catalog is in service. Written only
/// by a successful import, conditionally (each publication names the one it replaces), so replicas and restarts
/// all converge on the latest one.
/// </summary>
public sealed record PublishedCatalog
{
    /// <summary>The import that produced it; its file is stored under this id.</summary>
    [JsonPropertyName("catalogId")] public required string CatalogId { get; init; }
    /// <summary>1 for the first import ever published, then one more each time: a runner never goes back to a lower one.</summary>
    [JsonPropertyName("sequence")] public required long Sequence { get; init; }
    /// <summary>The version the importing runner computed (content and model); part of every cache key.</summary>
    [JsonPropertyName("catalogVersion")] public string? CatalogVersion { get; init; }
    [JsonPropertyName("bytes")] public long Bytes { get; init; }
    [JsonPropertyName("publishedAt")] public DateTimeOffset PublishedAt { get; init; }
}
