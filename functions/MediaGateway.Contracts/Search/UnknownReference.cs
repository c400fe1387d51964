using System.Text.Json.Serialization;

namespace MediaGateway.Contracts.Search;

/// <summary>
/// A request field naming something the catalog does not have: an item or a concept (the gateway answers 404), or a
/// filter value no item has (<c>filters.genres</c>: "horor"; the gateway answers 400, since that filter could only
/// ever match nothing). <see cref="Known"/> lists the values the catalog has for such a filter, so the caller can fix it.
/// </summary>
public sealed record UnknownReference(
    [property: JsonPropertyName("field")] string Field,
    [property: JsonPropertyName("value")] string Value,
    [property: JsonPropertyName("known")] [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Known = null)
{
    /// <summary>Whether this names a filter value rather than an item or concept: a bad request, not a missing resource.</summary>
    [JsonIgnore] public bool IsFilterValue => Field.StartsWith("filters.", StringComparison.Ordinal);

    /// <summary>
    /// This reference in the caller's terms. The runner reads the normalised request (values trimmed, filter values and
    /// concepts lower-cased, lists sorted, for the cache key), so it names a list by its field alone ("filters.genres",
    /// "horor"); here the value is found again in the request as sent, at each position and in the caller's spelling
    /// ("filters.genres[1]", "Horor"). Anything else is returned as it is.
    /// </summary>
    public IEnumerable<UnknownReference> AsSentIn(SearchRequest request)
    {
        var (sent, comparison) = Field switch
        {
            "filters.genres" => (request.Filters?.Genres, StringComparison.OrdinalIgnoreCase),
            "filters.creativeTypes" => (request.Filters?.CreativeTypes, StringComparison.OrdinalIgnoreCase),
            "filters.mpaaRatings" => (request.Filters?.MpaaRatings, StringComparison.OrdinalIgnoreCase),
            // Item ids keep their case (a catalog's ids are its own); concept names do not.
            "liked" => (request.Discovery?.Liked, StringComparison.Ordinal),
            "disliked" => (request.Discovery?.Disliked, StringComparison.Ordinal),
            "concepts" => (request.Discovery?.Concepts, StringComparison.OrdinalIgnoreCase),
            _ => (null, StringComparison.Ordinal),
        };
        var positions = Enumerable.Range(0, sent?.Count ?? 0).Where(i => string.Equals(sent![i]?.Trim(), Value, comparison)).ToArray();
        return positions.Length == 0 ? [this] : positions.Select(i => this with { Field = $"{Field}[{i}]", Value = sent![i] });
    }

    /// <summary>Each reference as "field: what is wrong", in one line: a polled job's or a batch line's error.</summary>
    public static string DescribeAll(IEnumerable<UnknownReference> unknown) => string.Join(" ", unknown.Select(u => $"{u.Field}: {u.Describe()}"));

    /// <summary>What is wrong, in words, for a problem's field error or a job's or batch line's error; the caller's value escaped.</summary>
    public string Describe() => IsFilterValue
        ? $"no catalog item has the {FilterNoun()} '{SafeText.Escape(Value)}'" + (Known is { Count: > 0 } known ? $"; the catalog's are: {string.Join(", ", known)}." : ".")
        : ListField == "concepts" ? $"the ontology has no concept '{SafeText.Escape(Value)}'." : $"the catalog has no item '{SafeText.Escape(Value)}'.";

    /// <summary>The field without its index: "filters.genres[1]" → "filters.genres".</summary>
    private string ListField => Field[..(Field.IndexOf('[') is var i and >= 0 ? i : Field.Length)];

    // "filters.mpaaRatings[0]" -> "MPAA rating": the field's name, singular.
    private string FilterNoun() => ListField switch
    {
        "filters.genres" => "genre",
        "filters.creativeTypes" => "creative type",
        "filters.mpaaRatings" => "MPAA rating",
        var other => other,
    };
}
