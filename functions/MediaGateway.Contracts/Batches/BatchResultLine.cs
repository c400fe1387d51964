using System.Text.Json.Serialization;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Contracts.Search;

namespace MediaGateway.Contracts.Batches;

/// <summary>One line of a batch's results (JSON Lines): the query at <see cref="Index"/> of the input, and its answer or error.</summary>
public sealed record BatchResultLine
{
    [JsonPropertyName("index")] public required int Index { get; init; }
    [JsonPropertyName("query")] public required string Query { get; init; }
    [JsonPropertyName("status")] public required JobStatus Status { get; init; }
    /// <summary>The search job that answered it (the same handle <c>GET /api/v1/jobs/{id}</c> takes).</summary>
    [JsonPropertyName("jobId")] public string? JobId { get; init; }
    [JsonPropertyName("result")] public SearchResponse? Result { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }
}
