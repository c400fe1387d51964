using System.Text.Json.Serialization;
using MediaGateway.Contracts.Jobs;

namespace MediaGateway.Contracts.Imports;

/// <summary>The state of one catalog import, as the import store keeps it and <c>GET /api/v1/catalog/imports/{id}</c> shows it.</summary>
public sealed record CatalogImportRecord
{
    [JsonPropertyName("importId")] public required string ImportId { get; init; }
    [JsonPropertyName("status")] public required JobStatus Status { get; init; }
    /// <summary>Size of the uploaded file (of the blob, once the runner has read it).</summary>
    [JsonPropertyName("bytes")] public long Bytes { get; init; }
    /// <summary>The blob the catalog is read from, for a blob-URL import; null for an uploaded file.</summary>
    [JsonPropertyName("blobUrl")] public string? BlobUrl { get; init; }
    /// <summary>Rows (JSONL lines or array items) read so far, the unreadable ones included.</summary>
    [JsonPropertyName("rowsRead")] public int RowsRead { get; init; }
    [JsonPropertyName("imported")] public int Imported { get; init; }
    [JsonPropertyName("rejected")] public int Rejected { get; init; }
    /// <summary>Rows imported with a value dropped or corrected (an unreadable number, an impossible date…); each item's <c>flags</c> say which.</summary>
    [JsonPropertyName("flagged")] public int Flagged { get; init; }
    /// <summary>The first rejected rows and why (at most <see cref="CatalogImportLimits.MaxReportedErrors"/>; escaped text).</summary>
    [JsonPropertyName("errors")] public IReadOnlyList<string> Errors { get; init; } = [];
    /// <summary>What the runner is doing ("validating", "embedding 120/400", "swapping"), while running.</summary>
    [JsonPropertyName("stage")] public string? Stage { get; init; }
    /// <summary>The catalog version served before the import, and the one it put in service.</summary>
    [JsonPropertyName("previousCatalogVersion")] public string? PreviousCatalogVersion { get; init; }
    [JsonPropertyName("catalogVersion")] public string? CatalogVersion { get; init; }
    [JsonPropertyName("createdAt")] public DateTimeOffset CreatedAt { get; init; }
    [JsonPropertyName("updatedAt")] public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Why the whole import failed (escaped text); the catalog in service is then unchanged.</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }
}
