using System.Text.Json.Serialization;

namespace MediaGateway.Contracts.Search;

/// <summary>The body of <c>POST /api/v1/recommendations</c>.</summary>
public sealed record RecommendationRequest
{
    [JsonPropertyName("liked")] public IReadOnlyList<string>? Liked { get; init; }
    [JsonPropertyName("disliked")] public IReadOnlyList<string>? Disliked { get; init; }
    [JsonPropertyName("concepts")] public IReadOnlyList<string>? Concepts { get; init; }
    [JsonPropertyName("limit")] public int? Limit { get; init; }

    /// <summary>The search request that carries it through the gateway and the queue.</summary>
    public SearchRequest ToSearchRequest() => new()
    {
        Limit = Limit,
        Discovery = new DiscoveryRequest { Kind = DiscoveryKinds.Recommend, Liked = Liked, Disliked = Disliked, Concepts = Concepts },
    };
}
