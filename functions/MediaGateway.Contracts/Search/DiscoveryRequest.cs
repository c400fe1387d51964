using System.Text.Json.Serialization;

namespace MediaGateway.Contracts.Search;

/// <summary>
/// A discovery request travels inside a <see cref="SearchRequest"/> (its <c>discovery</c> field), so it takes
/// the search's whole path: validation, cache, one job per identical request, the queue, the runner's checks
/// and the poison rules. <see cref="Kind"/> says which endpoint asked (<see cref="DiscoveryKinds"/>).
/// </summary>
public sealed record DiscoveryRequest
{
    [JsonPropertyName("kind")] public string? Kind { get; init; }

    /// <summary>The catalog item of <c>item</c> and <c>similar</c>.</summary>
    [JsonPropertyName("itemId")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? ItemId { get; init; }

    /// <summary>For <c>recommend</c>: items the caller liked (rank items like these higher).</summary>
    [JsonPropertyName("liked")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<string>? Liked { get; init; }

    /// <summary>For <c>recommend</c>: items the caller disliked (rank items like these lower).</summary>
    [JsonPropertyName("disliked")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<string>? Disliked { get; init; }

    /// <summary>For <c>recommend</c>: preferred concepts, by id ("genre/horror") or label ("slasher").</summary>
    [JsonPropertyName("concepts")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<string>? Concepts { get; init; }
}
