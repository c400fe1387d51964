using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Catalog;

namespace MediaGateway.Engine.VectorSearch;

/// <summary>Turns a request's <see cref="SearchFilters"/> into the rows of the catalog they allow.</summary>
public static class CatalogFilter
{
    /// <summary>True when the filters constrain anything at all.</summary>
    public static bool IsActive(SearchFilters? f) =>
        f is not null && (f.Genres is not null || f.CreativeTypes is not null || f.YearRange is not null
                          || f.RuntimeRange is not null || f.MpaaRatings is not null || f.MinRating is not null);

    public static bool Matches(CatalogItem item, SearchFilters f)
    {
        if (f.Genres is { } genres && !item.Genres.Any(g => Contains(genres, g))) return false;
        if (f.CreativeTypes is { } types && (item.CreativeType is null || !Contains(types, item.CreativeType))) return false;
        if (f.MpaaRatings is { } ratings && (item.MpaaRating is null || !Contains(ratings, item.MpaaRating))) return false;
        // An item whose year, runtime or rating is unknown cannot be shown to satisfy a range, so it is excluded.
        if (f.YearRange is [var fromYear, var toYear] && (item.Year is not { } y || y < fromYear || y > toYear)) return false;
        if (f.RuntimeRange is [var minRuntime, var maxRuntime] && (item.RuntimeMinutes is not { } r || r < minRuntime || r > maxRuntime)) return false;
        if (f.MinRating is { } minRating && (item.ImdbRating is not { } rating || rating < minRating)) return false;
        return true;
    }

    /// <summary>The allowed rows, or null when the filters allow everything (no bitset to check).</summary>
    public static RowFilter? ToRowFilter(ICatalogStore catalog, SearchFilters? filters) =>
        IsActive(filters) ? RowFilter.FromPredicate(catalog.Count, row => Matches(catalog[row], filters!)) : null;

    private static bool Contains(IReadOnlyList<string> values, string value) =>
        values.Any(v => string.Equals(v, value, StringComparison.OrdinalIgnoreCase));
}
