using System.Text.Json.Serialization;

namespace MediaGateway.Contracts.Imports;

/// <summary>
/// The body of <c>POST /api/v1/catalog/imports</c> that names a blob instead of carrying the file: a blob in the
/// deployment's own storage account, read by the gpu-runner with its identity (no SAS token: nothing secret is stored).
/// </summary>
public sealed record CatalogImportFromBlob
{
    /// <summary>Longest URL accepted.</summary>
    public const int MaxUrlLength = 2_048;

    [JsonPropertyName("blobUrl")] public string? BlobUrl { get; init; }
}
