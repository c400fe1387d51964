using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.VectorSearch;
using MediaGateway.Engine.VectorStores;

namespace MediaGateway.Engine.Query;

/// <summary>
/// The item's <see cref="Attribute"/> lies in [<see cref="Min"/>, <see cref="Max"/>] (either end open). An
/// item that does not know the value does not match (unknown is not "in range") unless
/// <see cref="AdmitUnknown"/>, which the planner sets when too few items know the value to fill a page:
/// then only items known to contradict the constraint are excluded.
/// </summary>
public sealed record RangeConstraint(NumericAttribute Attribute, double? Min, double? Max, bool AdmitUnknown = false, double? Toward = null) : IConstraint
{
    /// <summary>
    /// How well a matching item satisfies the range as a preference: 1, or for a superlative ("the best", "the worst")
    /// that ranks by the value, from ½ at the bound to 1 at <see cref="Toward"/>, so a 9.2 comes before a 7.1 and both
    /// before a film below the bound.
    /// </summary>
    public double Degree(CatalogItem item)
    {
        if (Toward is not { } toward || Attribute.Read(item) is not { } v || (Min ?? Max) is not { } bound || toward == bound) return 1;
        return 0.5 + 0.5 * Math.Clamp((v - bound) / (toward - bound), 0, 1);
    }

    public string Describe() => (Min, Max) switch
    {
        ({ } a, { } b) when a == b => $"{Attribute.Name} = {Attribute.Format(a)}",
        ({ } a, { } b) => $"{Attribute.Name} {Attribute.Format(a)}–{Attribute.Format(b)}",
        ({ } a, null) => $"{Attribute.Name} ≥ {Attribute.Format(a)}",
        (null, { } b) => $"{Attribute.Name} ≤ {Attribute.Format(b)}",
        _ => $"{Attribute.Name} known",
    };

    public bool Matches(CatalogItem item) => Attribute.Read(item) is { } v ? !(v < Min) && !(v > Max) : AdmitUnknown;

    public RowFilter Rows(CatalogIndex index)
    {
        var known = index.Range(Attribute, Min, Max);
        return AdmitUnknown ? RowFilter.Union(index.Rows, [known, index.Range(Attribute, null, null).Complement()]) : known;
    }

    // An unknown-admitting range would need "or unknown", which the typed filters do not say: sent as ids.
    public FilterClause? ToClause() => !AdmitUnknown && FilterFields.Of(Attribute) is { } field ? new RangeClause(field, Min, Max) : null;

    public string Explain(CatalogItem item)
    {
        if (Attribute.Read(item) is not { } v) return $"{Attribute.Name} unknown";
        var bound = (Min, Max) switch
        {
            ({ } a, { } b) when a == b => "",
            ({ } a, { } b) => $" in {Attribute.Format(a)}–{Attribute.Format(b)}",
            ({ } a, null) => $" ≥ {Attribute.Format(a)}",
            (null, { } b) => $" ≤ {Attribute.Format(b)}",
            _ => "",
        };
        return $"{Attribute.Label} {Attribute.Format(v)}{bound}";
    }
}
