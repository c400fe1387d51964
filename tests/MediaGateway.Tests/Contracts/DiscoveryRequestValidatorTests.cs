using MediaGateway.Contracts.Search;

namespace MediaGateway.Tests.Contracts;

/// <summary>The rules a discovery request meets on the gateway and again on the runner (a queue message is untrusted).</summary>
public sealed class DiscoveryRequestValidatorTests
{
    private static string[] Fields(SearchRequest request) => SearchRequestValidator.Validate(request).Select(e => e.Field).ToArray();

    private static SearchRequest With(DiscoveryRequest d, string? query = null) => new() { Query = query, Discovery = d };

    [Fact]
    public void Valid_discovery_requests_pass_without_a_query()
    {
        Assert.Empty(Fields(With(new DiscoveryRequest { Kind = DiscoveryKinds.Item, ItemId = "alien-1979" })));
        Assert.Empty(Fields(With(new DiscoveryRequest { Kind = DiscoveryKinds.Similar, ItemId = "alien-1979" })));
        Assert.Empty(Fields(With(new DiscoveryRequest { Kind = DiscoveryKinds.Recommend, Concepts = ["horror"] })));
        Assert.Empty(Fields(With(new DiscoveryRequest { Kind = DiscoveryKinds.Concepts }, "horror")));
    }

    [Theory]
    [InlineData(null, "discovery.kind")]
    [InlineData("search", "discovery.kind")]
    [InlineData("ITEM", "discovery.kind")]   // kinds are exact
    public void The_kind_must_be_known(string? kind, string field) =>
        Assert.Equal([field], Fields(With(new DiscoveryRequest { Kind = kind, ItemId = "x" })));

    [Fact]
    public void Inputs_of_another_kind_are_refused_not_ignored()
    {
        Assert.Equal(["discovery.liked"], Fields(With(new DiscoveryRequest { Kind = DiscoveryKinds.Similar, ItemId = "x", Liked = ["y"] })));
        Assert.Equal(["discovery.itemId"], Fields(With(new DiscoveryRequest { Kind = DiscoveryKinds.Recommend, ItemId = "x", Liked = ["y"] })));
        Assert.Equal(["query"], Fields(With(new DiscoveryRequest { Kind = DiscoveryKinds.Item, ItemId = "x" }, "star wars")));
        Assert.Equal(["filters"], Fields(new SearchRequest { Discovery = new DiscoveryRequest { Kind = DiscoveryKinds.Item, ItemId = "x" }, Filters = new SearchFilters { MinRating = 5 } }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("alien\n1979")]
    public void Item_ids_must_be_printable_and_non_empty(string id) =>
        Assert.Equal(["discovery.itemId"], Fields(With(new DiscoveryRequest { Kind = DiscoveryKinds.Item, ItemId = id })));

    [Fact]
    public void Item_ids_are_bounded_at_128_characters()
    {
        Assert.Empty(Fields(With(new DiscoveryRequest { Kind = DiscoveryKinds.Item, ItemId = new string('a', 128) })));
        Assert.Equal(["discovery.itemId"], Fields(With(new DiscoveryRequest { Kind = DiscoveryKinds.Item, ItemId = new string('a', 129) })));
    }

    [Fact]
    public void Recommendations_need_something_to_start_from_and_bounded_lists()
    {
        Assert.Equal(["discovery.liked"], Fields(With(new DiscoveryRequest { Kind = DiscoveryKinds.Recommend })));
        Assert.Equal(["discovery.liked"], Fields(With(new DiscoveryRequest { Kind = DiscoveryKinds.Recommend, Disliked = ["x"] })));
        Assert.Empty(Fields(With(new DiscoveryRequest { Kind = DiscoveryKinds.Recommend, Liked = Enumerable.Range(0, 32).Select(i => $"f{i}").ToArray() })));
        Assert.Equal(["discovery.liked"], Fields(With(new DiscoveryRequest { Kind = DiscoveryKinds.Recommend, Liked = Enumerable.Range(0, 33).Select(i => $"f{i}").ToArray() })));
        Assert.Equal(["discovery.concepts[1]"], Fields(With(new DiscoveryRequest { Kind = DiscoveryKinds.Recommend, Concepts = ["horror", ""] })));
        Assert.Equal(["discovery.disliked[0]"], Fields(With(new DiscoveryRequest { Kind = DiscoveryKinds.Recommend, Liked = ["a"], Disliked = ["a"] })));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public void A_concept_lookup_needs_words(string? q) =>
        Assert.Equal(["query"], Fields(With(new DiscoveryRequest { Kind = DiscoveryKinds.Concepts }, q)));

    [Fact]
    public void Equivalent_recommendations_share_a_cache_key_and_different_ones_do_not()
    {
        static string Key(DiscoveryRequest d) => SearchRequestNormalizer.CacheKeyFor(SearchRequestNormalizer.Normalize(new SearchRequest { Discovery = d }));
        var a = Key(new DiscoveryRequest { Kind = DiscoveryKinds.Recommend, Liked = ["b", "a", " a"], Concepts = ["Horror"] });
        var b = Key(new DiscoveryRequest { Kind = DiscoveryKinds.Recommend, Liked = ["a", "b"], Concepts = ["horror"] });
        var c = Key(new DiscoveryRequest { Kind = DiscoveryKinds.Recommend, Liked = ["a"], Disliked = ["b"], Concepts = ["horror"] });
        var search = SearchRequestNormalizer.CacheKeyFor(SearchRequestNormalizer.Normalize(new SearchRequest { Query = "horror" }));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.NotEqual(a, search);
    }
}
