using System.Globalization;
using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Ontology;
using MediaGateway.Engine.VectorStores;

namespace MediaGateway.Engine.VectorSearch;

/// <summary>
/// Turns a request's <see cref="SearchFilters"/> and a query's concepts into typed <see cref="VectorFilter"/>
/// clauses, the one form every vector store understands.
/// </summary>
public static class CatalogFilter
{
    /// <summary>True when the filters constrain anything at all.</summary>
    public static bool IsActive(SearchFilters? f) =>
        f is not null && (f.Genres is not null || f.CreativeTypes is not null || f.YearRange is not null
                          || f.RuntimeRange is not null || f.MpaaRatings is not null || f.MinRating is not null);

    /// <summary>The request's filters as clauses; null when they allow everything.</summary>
    public static VectorFilter? ToVectorFilter(SearchFilters? f)
    {
        if (!IsActive(f)) return null;
        var clauses = new List<FilterClause>();
        if (f!.Genres is { } genres) clauses.Add(new AnyOfClause(FilterField.Genre, genres));
        if (f.CreativeTypes is { } types) clauses.Add(new AnyOfClause(FilterField.CreativeType, types));
        if (f.MpaaRatings is { } ratings) clauses.Add(new AnyOfClause(FilterField.MpaaRating, ratings));
        if (f.YearRange is [var fromYear, var toYear]) clauses.Add(new RangeClause(FilterField.Year, fromYear, toYear));
        if (f.RuntimeRange is [var minRuntime, var maxRuntime]) clauses.Add(new RangeClause(FilterField.RuntimeMinutes, minRuntime, maxRuntime));
        if (f.MinRating is { } minRating) clauses.Add(new RangeClause(FilterField.ImdbRating, minRating, null));
        return VectorFilter.And(null, clauses);
    }

    /// <summary>
    /// The clause an item must satisfy to carry a query concept (the same facts as <see cref="Enricher.Carries"/>);
    /// null for "similarTo", which is a direction, not a facet.
    /// </summary>
    public static FilterClause? ForConcept(QueryConcept c) => c.Field switch
    {
        "genre" => new AnyOfClause(FilterField.Genre, [c.Value]),
        "creativeType" => new AnyOfClause(FilterField.CreativeType, [c.Value]),
        "source" => new AnyOfClause(FilterField.Source, [c.Value]),
        "mpaaRating" => new AnyOfClause(FilterField.MpaaRating, [c.Value]),
        "director" => new AnyOfClause(FilterField.Director, [c.Value]),
        "decade" when int.TryParse(c.Value.TrimEnd('s'), NumberStyles.None, CultureInfo.InvariantCulture, out var decade)
            => new RangeClause(FilterField.Year, decade, decade + 9),
        "runtimeAtMost" => new RangeClause(FilterField.RuntimeMinutes, null, int.Parse(c.Value, CultureInfo.InvariantCulture)),
        "runtimeAtLeast" => new RangeClause(FilterField.RuntimeMinutes, int.Parse(c.Value, CultureInfo.InvariantCulture), null),
        _ => null,
    };

    public static bool Matches(CatalogItem item, SearchFilters f) => ToVectorFilter(f)?.Matches(item) ?? true;

    /// <summary>The allowed rows, or null when the filters allow everything (no bitset to check).</summary>
    public static RowFilter? ToRowFilter(ICatalogStore catalog, SearchFilters? filters) =>
        ToVectorFilter(filters) is { } filter ? RowFilter.FromPredicate(catalog.Count, row => filter.Matches(catalog[row])) : null;
}
