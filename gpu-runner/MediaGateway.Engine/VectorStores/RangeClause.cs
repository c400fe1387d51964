using MediaGateway.Engine.Catalog;

namespace MediaGateway.Engine.VectorStores;

/// <summary>
/// The number facet lies in [<see cref="Min"/>, <see cref="Max"/>] (either end open when null). An item
/// whose value is unknown cannot be shown to satisfy a range, so it never matches.
/// </summary>
public sealed record RangeClause : FilterClause
{
    public RangeClause(FilterField field, double? min, double? max)
    {
        if (field is not (FilterField.Year or FilterField.RuntimeMinutes or FilterField.ImdbRating))
            throw new ArgumentException($"{field} is a text facet; use an AnyOfClause.", nameof(field));
        if (min is { } a && !double.IsFinite(a) || max is { } b && !double.IsFinite(b))
            throw new ArgumentException("Range ends must be finite numbers.");
        (Field, Min, Max) = (field, min, max);
    }

    public FilterField Field { get; }
    public double? Min { get; }
    public double? Max { get; }

    public override bool Matches(CatalogItem item)
    {
        double? value = Field switch
        {
            FilterField.Year => item.Year,
            FilterField.RuntimeMinutes => item.RuntimeMinutes,
            FilterField.ImdbRating => item.ImdbRating,
            _ => null,
        };
        return value is { } v && (Min is not { } min || v >= min) && (Max is not { } max || v <= max);
    }
}
