using MediaGateway.Engine.Catalog;

namespace MediaGateway.Engine.VectorStores;

/// <summary>
/// The text facet equals one of <see cref="Values"/>, ignoring case (for genres: the item has at least one
/// of them). An item without the facet never matches.
/// </summary>
public sealed record AnyOfClause : FilterClause
{
    public AnyOfClause(FilterField field, IReadOnlyList<string> values)
    {
        if (field is FilterField.Year or FilterField.RuntimeMinutes or FilterField.ImdbRating)
            throw new ArgumentException($"{field} is a number facet; use a RangeClause.", nameof(field));
        ArgumentNullException.ThrowIfNull(values);
        (Field, Values) = (field, values);
    }

    public FilterField Field { get; }
    public IReadOnlyList<string> Values { get; }

    public override bool Matches(CatalogItem item) => Field switch
    {
        FilterField.Genre => item.Genres.Any(Contains),
        FilterField.CreativeType => item.CreativeType is { } v && Contains(v),
        FilterField.MpaaRating => item.MpaaRating is { } v && Contains(v),
        FilterField.Source => item.Source is { } v && Contains(v),
        FilterField.Director => item.Director is { } v && Contains(v),
        _ => false,
    };

    private bool Contains(string value) => Values.Any(v => string.Equals(v, value, StringComparison.OrdinalIgnoreCase));
}
