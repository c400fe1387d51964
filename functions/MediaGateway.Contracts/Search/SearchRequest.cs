using System.Text.Json.Serialization;

namespace MediaGateway.Contracts.Search;

/// <summary>The body of <c>POST /api/v1/search</c>; also the payload of a search job.</summary>
public sealed record SearchRequest
{
    [JsonPropertyName("query")] public string? Query { get; init; }

    /// <summary>How many results to return (1–100). Absent means <see cref="SearchLimits.DefaultLimit"/>.</summary>
    [JsonPropertyName("limit")] public int? Limit { get; init; }

    [JsonPropertyName("filters")] public SearchFilters? Filters { get; init; }

    /// <summary>Set by the discovery endpoints (media, similar, recommendations, concepts); absent for a search.</summary>
    [JsonPropertyName("discovery")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public DiscoveryRequest? Discovery { get; init; }
}

/// <summary>Structured constraints applied before the top-k cut, so a filtered search still fills its limit.</summary>
public sealed record SearchFilters
{
    /// <summary>Major genres, any of (e.g. "Horror", "Comedy"). Case-insensitive.</summary>
    [JsonPropertyName("genres")] public IReadOnlyList<string>? Genres { get; init; }

    /// <summary>Creative types, any of (e.g. "Science Fiction", "Kids Fiction"). Case-insensitive.</summary>
    [JsonPropertyName("creativeTypes")] public IReadOnlyList<string>? CreativeTypes { get; init; }

    /// <summary>Inclusive [from, to] release years.</summary>
    [JsonPropertyName("yearRange")] public IReadOnlyList<int>? YearRange { get; init; }

    /// <summary>Inclusive [min, max] running time in minutes.</summary>
    [JsonPropertyName("runtimeRange")] public IReadOnlyList<int>? RuntimeRange { get; init; }

    /// <summary>MPAA ratings, any of ("G", "PG", "PG-13", "R", "NC-17", "Not Rated").</summary>
    [JsonPropertyName("mpaaRatings")] public IReadOnlyList<string>? MpaaRatings { get; init; }

    /// <summary>Minimum IMDB rating, 0–10.</summary>
    [JsonPropertyName("minRating")] public double? MinRating { get; init; }
}

/// <summary>Input size limits; every one is enforced by <see cref="SearchRequestValidator"/>.</summary>
public static class SearchLimits
{
    public const int DefaultLimit = 10;
    public const int MaxLimit = 100;
    public const int MaxQueryLength = 512;
    public const int MaxFilterValues = 32;
    public const int MaxFilterValueLength = 64;
    /// <summary>Largest request body accepted; larger bodies get 413.</summary>
    public const int MaxBodyBytes = 16 * 1024;
    public const int MinYear = 1870;
    public const int MaxYear = 2100;
    public const int MaxRuntimeMinutes = 1000;
    /// <summary>Highest <c>filters.minRating</c> (IMDB ratings are 0–10).</summary>
    public const int MaxRating = 10;
    /// <summary>Longest catalog item id accepted in a path or a list.</summary>
    public const int MaxItemIdLength = 128;
    /// <summary>Most liked, disliked or preferred-concept entries in one recommendation request.</summary>
    public const int MaxRecommendationInputs = 32;
    /// <summary>Longest <c>q</c> of a concept lookup.</summary>
    public const int MaxConceptQueryLength = 100;
}
