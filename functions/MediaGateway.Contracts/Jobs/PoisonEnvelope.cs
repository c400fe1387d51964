using System.Text.Json;
using System.Text.Json.Serialization;

namespace MediaGateway.Contracts.Jobs;

/// <summary>
/// What the poison queue holds for a message the runner refused: why, and the start of its body. Bounded, so
/// it always fits in a queue message (64 KiB after Base64) whatever came in; the raw body is not kept whole
/// because a 64 KiB body grows past the limit when re-encoded, and the move would fail forever.
/// </summary>
public sealed record PoisonEnvelope
{
    /// <summary>Characters of the original body kept: at most 6 bytes each once JSON-escaped, 4/3 of that in Base64, ≈ 32 KiB.</summary>
    public const int MaxBodyChars = 4 * 1024;

    [JsonPropertyName("reason")] public required string Reason { get; init; }
    [JsonPropertyName("messageId")] public required string MessageId { get; init; }
    [JsonPropertyName("dequeueCount")] public long DequeueCount { get; init; }
    [JsonPropertyName("bodyLength")] public int BodyLength { get; init; }
    [JsonPropertyName("bodyTruncated")] public bool BodyTruncated { get; init; }
    [JsonPropertyName("body")] public required string Body { get; init; }
    [JsonPropertyName("poisonedAt")] public DateTimeOffset PoisonedAt { get; init; }

    public static PoisonEnvelope For(string messageId, string body, long dequeueCount, string reason, DateTimeOffset now) => new()
    {
        Reason = SafeText.Escape(reason, 1_000),
        MessageId = SafeText.Escape(messageId, 100),
        DequeueCount = dequeueCount,
        BodyLength = body.Length,
        BodyTruncated = body.Length > MaxBodyChars,
        Body = body.Length > MaxBodyChars ? body[..(char.IsHighSurrogate(body[MaxBodyChars - 1]) ? MaxBodyChars - 1 : MaxBodyChars)] : body,
        PoisonedAt = now,
    };

    public string ToJson() => JsonSerializer.Serialize(this, ContractJson.Options);
}
