using System.Text.Json.Serialization;
using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Query;
using MediaGateway.Engine.Text;

namespace MediaGateway.Eval;

/// <summary>
/// A judgement rule over catalog metadata. Every property that is set must hold (AND); list properties mean
/// "any of" (case-insensitive); numeric ranges are [min, max] with null for an open end, and an item whose
/// value is unknown does not satisfy a range. <see cref="Any"/> holds when at least one of its conditions does.
/// </summary>
public sealed record Condition
{
    [JsonPropertyName("genre")] public string[]? Genre { get; init; }
    [JsonPropertyName("notGenre")] public string[]? NotGenre { get; init; }
    [JsonPropertyName("creativeType")] public string[]? CreativeType { get; init; }
    [JsonPropertyName("source")] public string[]? Source { get; init; }
    [JsonPropertyName("notSource")] public string[]? NotSource { get; init; }
    [JsonPropertyName("mpaa")] public string[]? Mpaa { get; init; }
    [JsonPropertyName("director")] public string[]? Director { get; init; }
    /// <summary>Every word of this text appears in the folded title.</summary>
    [JsonPropertyName("title")] public string? Title { get; init; }
    [JsonPropertyName("notId")] public string[]? NotId { get; init; }
    [JsonPropertyName("years")] public double?[]? Years { get; init; }
    [JsonPropertyName("runtime")] public double?[]? Runtime { get; init; }
    [JsonPropertyName("imdb")] public double?[]? Imdb { get; init; }
    [JsonPropertyName("rt")] public double?[]? Rt { get; init; }
    [JsonPropertyName("budget")] public double?[]? Budget { get; init; }
    [JsonPropertyName("gross")] public double?[]? Gross { get; init; }
    /// <summary>Worldwide gross ÷ budget.</summary>
    [JsonPropertyName("roi")] public double?[]? Roi { get; init; }
    [JsonPropertyName("any")] public Condition[]? Any { get; init; }

    public bool Holds(CatalogItem item) =>
        In(Genre, item.Genres) && !(NotGenre is not null && In(NotGenre, item.Genres))
        && In(CreativeType, item.CreativeType) && In(Source, item.Source) && !(NotSource is not null && In(NotSource, item.Source))
        && In(Mpaa, item.MpaaRating) && In(Director, item.Director is { } d ? TextFolding.FoldAccents(d) : null)
        && (Title is null || TitleHas(item.Title, Title)) && !(NotId?.Contains(item.Id) ?? false)
        && Range(Years, NumericAttribute.Year, item) && Range(Runtime, NumericAttribute.Runtime, item) && Range(Imdb, NumericAttribute.ImdbRating, item)
        && Range(Rt, NumericAttribute.RottenTomatoes, item) && Range(Budget, NumericAttribute.Budget, item) && Range(Gross, NumericAttribute.WorldwideGross, item)
        && Range(Roi, NumericAttribute.ReturnOnBudget, item) && (Any is null || Any.Any(c => c.Holds(item)));

    private static bool In(string[]? wanted, string? value) => wanted is null || (value is not null && wanted.Contains(value, StringComparer.OrdinalIgnoreCase));

    private static bool In(string[]? wanted, IReadOnlyList<string> values) => wanted is null || values.Any(v => wanted.Contains(v, StringComparer.OrdinalIgnoreCase));

    private static bool Range(double?[]? range, NumericAttribute attribute, CatalogItem item) =>
        range is null || (attribute.Read(item) is { } v && !(range.Length > 0 && v < range[0]) && !(range.Length > 1 && v > range[1]));

    private static bool TitleHas(string title, string words)
    {
        var titleWords = QueryText.Words(title).Split(' ').ToHashSet();
        return QueryText.Words(words).Split(' ').All(titleWords.Contains);
    }
}
