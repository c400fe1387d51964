using System.Text.Json;
using System.Text.Json.Serialization;

namespace MediaGateway.Contracts.Search;

/// <summary>One catalog item with every fact the catalog keeps (<c>GET /api/v1/media/{id}</c>). Unknown facts are absent, never 0.</summary>
public sealed record MediaDetails
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("title")] public required string Title { get; init; }
    [JsonPropertyName("kind")] public required string Kind { get; init; }
    [JsonPropertyName("year")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? Year { get; init; }
    [JsonPropertyName("releaseDate")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? ReleaseDate { get; init; }
    [JsonPropertyName("genres")] public IReadOnlyList<string> Genres { get; init; } = [];
    [JsonPropertyName("creativeType")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? CreativeType { get; init; }
    [JsonPropertyName("source")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Source { get; init; }
    [JsonPropertyName("director")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Director { get; init; }
    [JsonPropertyName("mpaaRating")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? MpaaRating { get; init; }
    [JsonPropertyName("runtimeMinutes")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? RuntimeMinutes { get; init; }
    [JsonPropertyName("imdbRating")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? ImdbRating { get; init; }
    [JsonPropertyName("imdbVotes")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? ImdbVotes { get; init; }
    [JsonPropertyName("description")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Description { get; init; }
    /// <summary>Every other attribute (budget, grosses, Rotten Tomatoes rating, distributor…): numbers as numbers, dates as yyyy-MM-dd.</summary>
    [JsonPropertyName("attributes")] public IReadOnlyDictionary<string, JsonElement> Attributes { get; init; } = new Dictionary<string, JsonElement>();
    /// <summary>Data-quality findings from import.</summary>
    [JsonPropertyName("flags")] public IReadOnlyList<string> Flags { get; init; } = [];
}
