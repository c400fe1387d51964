namespace MediaGateway.Engine.Catalog;

/// <summary>One film or series, cleaned. Missing facts are null, never placeholder strings.</summary>
public sealed record CatalogItem
{
    /// <summary>Stable id: the source's own id, else a slug of title and year (see docs/catalog-format.md).</summary>
    public required string Id { get; init; }
    public required string Title { get; init; }
    public string Kind { get; init; } = "film";
    /// <summary>Release year; null when unknown or when the source's date was impossible (see <see cref="Flags"/>).</summary>
    public int? Year { get; init; }
    public DateOnly? ReleaseDate { get; init; }
    public IReadOnlyList<string> Genres { get; init; } = [];
    public string? CreativeType { get; init; }
    public string? Source { get; init; }
    public string? Director { get; init; }
    public string? MpaaRating { get; init; }
    public int? RuntimeMinutes { get; init; }
    public double? ImdbRating { get; init; }
    public int? ImdbVotes { get; init; }
    public string? Description { get; init; }
    /// <summary>
    /// Every other fact of the record, typed (budget, grosses, Rotten Tomatoes rating, distributor, and any
    /// field a catalog brings; see <see cref="CatalogAttributes"/>). An unknown value has no entry.
    /// </summary>
    public IReadOnlyDictionary<string, AttributeValue> Attributes { get; init; } = EmptyAttributes;

    private static readonly IReadOnlyDictionary<string, AttributeValue> EmptyAttributes = new Dictionary<string, AttributeValue>();

    /// <summary>The numeric attribute's value, or null when the item does not know it.</summary>
    public double? NumberOf(string attribute) =>
        Attributes.TryGetValue(attribute, out var v) && v.Kind == AttributeKind.Number ? v.Number : null;

    /// <summary>The category or text attribute's value, or null when the item does not know it.</summary>
    public string? TextOf(string attribute) =>
        Attributes.TryGetValue(attribute, out var v) && v.Kind is AttributeKind.Category or AttributeKind.Text ? v.Text : null;
    /// <summary>Data-quality findings from import, e.g. "releaseDateImpossible: Jan 01 2046".</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];
    /// <summary>The text the embedding model sees, built from the fields above.</summary>
    public required string EmbeddingText { get; init; }
}
