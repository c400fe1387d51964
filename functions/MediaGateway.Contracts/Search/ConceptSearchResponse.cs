using System.Text.Json.Serialization;

namespace MediaGateway.Contracts.Search;

/// <summary>What <c>GET /api/v1/concepts?q=</c> returns: the concepts found, best first, and how many matched in all.</summary>
public sealed record ConceptSearchResponse
{
    [JsonPropertyName("query")] public required string Query { get; init; }
    [JsonPropertyName("total")] public int Total { get; init; }
    [JsonPropertyName("concepts")] public required IReadOnlyList<ConceptView> Concepts { get; init; }
    [JsonPropertyName("cached")] public bool Cached { get; init; }
}
