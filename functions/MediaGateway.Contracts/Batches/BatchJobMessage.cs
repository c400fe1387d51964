using System.Text.Json.Serialization;

namespace MediaGateway.Contracts.Batches;

/// <summary>
/// The message on the <c>batch-jobs</c> queue that starts a batch. Small on purpose: the queries (up to 1,000)
/// stay in the batch store, and the message names them by id and input key.
/// </summary>
public sealed record BatchJobMessage
{
    public const int CurrentSchemaVersion = 1;

    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    [JsonPropertyName("batchId")] public required string BatchId { get; init; }
    /// <summary>Must equal the batch record's <see cref="BatchRecord.InputKey"/>: a message that names a batch without knowing its key cannot touch it.</summary>
    [JsonPropertyName("inputKey")] public required string InputKey { get; init; }
    [JsonPropertyName("enqueuedAt")] public DateTimeOffset EnqueuedAt { get; init; }
}
