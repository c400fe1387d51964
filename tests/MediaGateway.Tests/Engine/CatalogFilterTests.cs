using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.VectorSearch;

namespace MediaGateway.Tests.Engine;

public sealed class CatalogFilterTests
{
    private static CatalogItem Item(string id, int? year = null, string? genre = null, int? runtime = null, string? mpaa = null, double? rating = null, string? type = null) =>
        new() { Id = id, Title = id, Year = year, Genres = genre is null ? [] : [genre], RuntimeMinutes = runtime, MpaaRating = mpaa, ImdbRating = rating, CreativeType = type, EmbeddingText = id };

    private static readonly InMemoryCatalogStore Catalog = new([
        Item("halloween", 1978, "Horror", 91, "R", 7.9, "Contemporary Fiction"),
        Item("the-thing", 1982, "Horror", 109, "R", 8.2, "Science Fiction"),
        Item("gremlins", 1984, "Comedy", 106, "PG", 7.2, "Fantasy"),
        Item("undated-horror", null, "Horror", null, null, null),
        Item("aliens", 1986, "Action", 137, "R", 8.5, "Science Fiction"),
    ]);

    private static string[] Allowed(SearchFilters filters)
    {
        var rows = CatalogFilter.ToRowFilter(Catalog, filters)!;
        return Enumerable.Range(0, Catalog.Count).Where(rows.Contains).Select(r => Catalog[r].Id).ToArray();
    }

    [Fact]
    public void Genre_and_year_range_combine_and_unknown_years_are_excluded() =>
        Assert.Equal(["the-thing"], Allowed(new SearchFilters { Genres = ["horror"], YearRange = [1980, 1989] }));

    [Fact]
    public void Runtime_range_is_inclusive() =>
        Assert.Equal(["the-thing", "gremlins"], Allowed(new SearchFilters { RuntimeRange = [106, 109] }));

    [Fact]
    public void Mpaa_creative_type_and_minimum_rating_filter() =>
        Assert.Equal(["aliens"], Allowed(new SearchFilters { MpaaRatings = ["R"], CreativeTypes = ["Science Fiction"], MinRating = 8.3 }));

    [Fact]
    public void No_filters_means_no_bitset() =>
        Assert.Null(CatalogFilter.ToRowFilter(Catalog, new SearchFilters()));
}
