using MediaGateway.Contracts.Search;

namespace MediaGateway.Tests.Contracts;

public sealed class SearchRequestValidatorTests
{
    private static IReadOnlyList<string> FieldsOf(SearchRequest request) => SearchRequestValidator.Validate(request).Select(e => e.Field).ToArray();

    [Fact]
    public void A_plain_query_is_valid() =>
        Assert.Empty(FieldsOf(new SearchRequest { Query = "star wars" }));

    [Theory]
    [InlineData("Hor\0ror")]
    [InlineData("Horror\n")]
    [InlineData("\u001b[31mHorror")]
    [InlineData("Horror\u007f")]
    [InlineData("Horror\u0085")]
    public void Filter_values_with_control_characters_are_refused(string value)
    {
        Assert.Equal(["filters.genres[0]"], FieldsOf(new SearchRequest { Query = "x", Filters = new SearchFilters { Genres = [value] } }));
        Assert.Equal(["filters.creativeTypes[0]"], FieldsOf(new SearchRequest { Query = "x", Filters = new SearchFilters { CreativeTypes = [value] } }));
        Assert.Equal(["filters.mpaaRatings[1]"], FieldsOf(new SearchRequest { Query = "x", Filters = new SearchFilters { MpaaRatings = ["PG", value] } }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void An_empty_query_is_reported_as_query(string? query) =>
        Assert.Equal(["query"], FieldsOf(new SearchRequest { Query = query }));

    [Fact]
    public void A_query_over_the_length_limit_is_rejected() =>
        Assert.Equal(["query"], FieldsOf(new SearchRequest { Query = new string('a', SearchLimits.MaxQueryLength + 1) }));

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    [InlineData(500)]
    [InlineData(-1)]
    public void A_limit_outside_1_to_100_is_reported_as_limit(int limit) =>
        Assert.Equal(["limit"], FieldsOf(new SearchRequest { Query = "x", Limit = limit }));

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    public void Limits_at_the_bounds_are_accepted(int limit) =>
        Assert.Empty(FieldsOf(new SearchRequest { Query = "x", Limit = limit }));

    [Fact]
    public void Bad_filters_are_each_named_by_their_path()
    {
        var request = new SearchRequest
        {
            Query = "x",
            Filters = new SearchFilters
            {
                Genres = [],
                YearRange = [1990, 1980],
                RuntimeRange = [10],
                MinRating = 11,
                MpaaRatings = [new string('R', 65)],
            },
        };
        Assert.Equal(["filters.genres", "filters.mpaaRatings[0]", "filters.yearRange", "filters.runtimeRange", "filters.minRating"], FieldsOf(request));
    }

    [Fact]
    public void Normalisation_makes_equivalent_requests_share_a_cache_key()
    {
        var a = new SearchRequest { Query = "  Star   Wars ", Filters = new SearchFilters { Genres = ["Horror", "comedy"] } };
        var b = new SearchRequest { Query = "star wars", Limit = SearchLimits.DefaultLimit, Filters = new SearchFilters { Genres = ["Comedy", "horror"] } };
        Assert.Equal(SearchRequestNormalizer.CacheKeyFor(SearchRequestNormalizer.Normalize(a)), SearchRequestNormalizer.CacheKeyFor(SearchRequestNormalizer.Normalize(b)));
    }

    [Fact]
    public void Different_limits_give_different_cache_keys()
    {
        var a = SearchRequestNormalizer.Normalize(new SearchRequest { Query = "alien", Limit = 5 });
        var b = SearchRequestNormalizer.Normalize(new SearchRequest { Query = "alien", Limit = 6 });
        Assert.NotEqual(SearchRequestNormalizer.CacheKeyFor(a), SearchRequestNormalizer.CacheKeyFor(b));
    }

    [Theory]
    [InlineData("abc", true)]
    [InlineData("0123456789abcdef0123456789abcdef", true)]
    [InlineData("abc\n", false)]
    [InlineData("abc\r\n", false)]
    [InlineData("", false)]
    [InlineData("../x", false)]
    public void The_job_id_rule_accepts_nothing_after_the_last_character(string id, bool valid) =>
        Assert.Equal(valid, MediaGateway.Contracts.Jobs.JobIds.IsValid(id));

    [Fact]
    public void New_job_handles_are_random_and_valid()
    {
        var handles = Enumerable.Range(0, 1000).Select(_ => MediaGateway.Contracts.Jobs.JobIds.NewHandle()).ToArray();
        Assert.All(handles, h => Assert.True(MediaGateway.Contracts.Jobs.JobIds.IsValid(h)));
        Assert.Equal(handles.Length, handles.Distinct().Count());
    }
}
