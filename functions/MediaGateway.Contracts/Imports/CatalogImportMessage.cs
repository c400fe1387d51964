using System.Text.Json.Serialization;

namespace MediaGateway.Contracts.Imports;

/// <summary>
/// The queue message that asks a gpu-runner to import a catalog. It travels on the search queue (the runner's
/// only input, which KEDA scales on) and is told apart from a <see cref="Jobs.SearchJobMessage"/> by
/// <see cref="Kind"/>; search messages have no kind, so their contract is unchanged.
/// </summary>
public sealed record CatalogImportMessage
{
    public const string KindValue = "catalogImport";
    public const int CurrentSchemaVersion = 1;

    [JsonPropertyName("kind")] public string Kind { get; init; } = KindValue;
    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    [JsonPropertyName("importId")] public required string ImportId { get; init; }
    [JsonPropertyName("enqueuedAt")] public DateTimeOffset EnqueuedAt { get; init; }
}
