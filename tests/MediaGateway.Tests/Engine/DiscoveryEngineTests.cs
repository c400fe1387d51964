using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Pipeline;
using MediaGateway.Tests.Support;

namespace MediaGateway.Tests.Engine;

/// <summary>The discovery requests on the real engine (MiniLM, demo catalog): item facts, similar items, recommendations, concepts.</summary>
[Collection(EngineCollection.Name)]
public sealed class DiscoveryEngineTests(EngineFixture fixture)
{
    private async Task<SearchResponse> AskAsync(SearchRequest request)
    {
        Assert.Empty(SearchRequestValidator.Validate(request));
        return (await fixture.Engine.SearchAsync([new EngineQuery("test", SearchRequestNormalizer.Normalize(request))]))[0];
    }

    private static SearchRequest Item(string id) => new() { Discovery = new DiscoveryRequest { Kind = DiscoveryKinds.Item, ItemId = id } };

    private static SearchRequest Similar(string id, int limit = 10) => new() { Limit = limit, Discovery = new DiscoveryRequest { Kind = DiscoveryKinds.Similar, ItemId = id } };

    private static SearchRequest Recommend(string[]? liked = null, string[]? disliked = null, string[]? concepts = null, int limit = 10) =>
        new RecommendationRequest { Liked = liked, Disliked = disliked, Concepts = concepts, Limit = limit }.ToSearchRequest();

    private static SearchRequest Concepts(string q, int limit = 10) => new() { Query = q, Limit = limit, Discovery = new DiscoveryRequest { Kind = DiscoveryKinds.Concepts } };

    private string IdOf(string title) => fixture.Engine.Catalog.Items.Where(i => i.Title == title).OrderByDescending(i => i.ImdbVotes ?? 0).First().Id;

    [Fact]
    public async Task An_item_comes_with_every_fact_the_catalog_keeps_and_unknown_facts_absent()
    {
        var id = IdOf("Alien");
        var item = (await AskAsync(Item(id))).Item!;

        Assert.Equal("Alien", item.Title);
        Assert.Equal(1979, item.Year);
        Assert.Equal("Ridley Scott", item.Director);
        Assert.True(item.Attributes["productionBudget"].GetDouble() > 0);
        Assert.True(item.Attributes.ContainsKey("distributor"));
        var source = fixture.Engine.Catalog.Items.Single(i => i.Id == id);
        Assert.Equal(source.Attributes.Keys.Order(), item.Attributes.Keys.Order());
    }

    [Fact]
    public async Task An_unknown_item_is_reported_by_field_and_nothing_is_searched()
    {
        var item = await AskAsync(Item("alien-1978"));
        Assert.Null(item.Item);
        Assert.Equal([new UnknownReference("id", "alien-1978")], item.Unknown);

        var similar = await AskAsync(Similar("no-such-film"));
        Assert.Empty(similar.Results);
        Assert.Equal([new UnknownReference("id", "no-such-film")], similar.Unknown);
    }

    [Fact]
    public async Task Similar_items_exclude_the_item_itself_and_share_its_kind()
    {
        var id = IdOf("Toy Story");
        var response = await AskAsync(Similar(id, 10));

        Assert.Equal(10, response.Results.Count);
        Assert.DoesNotContain(response.Results, r => r.Id == id);
        Assert.Contains(response.Interpretation, r => r.Effect == "reference" && r.ReadAs.StartsWith("like Toy Story"));
        // Most neighbours of an animated children's film are children's films too (and say so).
        Assert.True(response.Results.Count(r => r.CreativeType == "Kids Fiction") >= 6, string.Join(", ", response.Results.Select(r => $"{r.Title} ({r.CreativeType})")));
        Assert.All(response.Results, r => Assert.Null(r.Explanation!.Personalization));
    }

    [Fact]
    public async Task Recommendations_exclude_what_was_rated_and_explain_the_personal_term()
    {
        string[] liked = [IdOf("Alien"), IdOf("Aliens")];
        var response = await AskAsync(Recommend(liked: liked, limit: 10));

        Assert.Equal(10, response.Results.Count);
        Assert.DoesNotContain(response.Results, r => liked.Contains(r.Id));
        Assert.All(response.Results, r =>
        {
            Assert.NotNull(r.Explanation!.Personalization);
            Assert.StartsWith("close to liked Alien", r.Explanation.Reasons[0]);
        });
        Assert.True(response.Results.Count(r => r.CreativeType == "Science Fiction") >= 5, string.Join(", ", response.Results.Select(r => r.Title)));
    }

    [Fact]
    public async Task A_disliked_item_lowers_items_like_it()
    {
        var liked = IdOf("Alien");
        var without = await AskAsync(Recommend(liked: [liked], limit: 20));
        var disliked = without.Results[0].Id;
        var with = await AskAsync(Recommend(liked: [liked], disliked: [disliked], limit: 20));

        Assert.DoesNotContain(with.Results, r => r.Id == disliked);
        Assert.All(with.Results, r => Assert.Contains("to disliked", r.Explanation!.Reasons[0]));
        // Every item's personal term is its nearness to Alien less its nearness to the disliked item, so it can only fall.
        foreach (var hit in with.Results)
            if (without.Results.FirstOrDefault(r => r.Id == hit.Id) is { } before)
                Assert.True(hit.Explanation!.Personalization <= before.Explanation!.Personalization);
    }

    [Fact]
    public async Task Preferred_concepts_by_id_or_label_boost_items_that_carry_them()
    {
        var byLabel = await AskAsync(Recommend(liked: [IdOf("Toy Story")], concepts: ["musicals"], limit: 10));
        var byId = await AskAsync(Recommend(liked: [IdOf("Toy Story")], concepts: ["genre/musical"], limit: 10));

        Assert.Equal(byLabel.Results.Select(r => r.Id), byId.Results.Select(r => r.Id));
        Assert.Contains(byLabel.Interpretation, r => r.ReadAs == "concept Musical" && r.Effect == "boost");
        Assert.True(byLabel.Results.Count(r => r.Genre == "Musical") >= 3, string.Join(", ", byLabel.Results.Select(r => $"{r.Title} ({r.Genre})")));
    }

    [Fact]
    public async Task Concepts_alone_recommend_from_their_labels_without_a_personal_term()
    {
        var response = await AskAsync(Recommend(concepts: ["slasher"], limit: 10));

        Assert.Equal(10, response.Results.Count);
        Assert.All(response.Results, r => Assert.Null(r.Explanation!.Personalization));
        Assert.True(response.Results.Count(r => r.Genre == "Horror") >= 8, string.Join(", ", response.Results.Select(r => $"{r.Title} ({r.Genre})")));
    }

    [Fact]
    public async Task Unknown_liked_items_and_concepts_are_each_named()
    {
        var response = await AskAsync(Recommend(liked: [IdOf("Alien"), "not-a-film"], concepts: ["horror", "not a concept"]));

        Assert.Empty(response.Results);
        Assert.Equal([new UnknownReference("liked", "not-a-film"), new UnknownReference("concepts", "not a concept")], response.Unknown);
    }

    [Fact]
    public async Task Concepts_are_found_by_label_exact_first_with_their_edges()
    {
        var response = await AskAsync(Concepts("black comedy"));

        var first = response.Concepts![0];
        Assert.Equal("genre/black-comedy", first.Id);
        Assert.Equal("exact", first.Matched);
        Assert.Contains(new ConceptLink("genre/comedy", "Comedy"), first.Broader);
        Assert.Contains("genre Black Comedy", first.CatalogValues);

        var comedy = (await AskAsync(Concepts("comedy"))).Concepts!;
        Assert.Equal("genre/comedy", comedy[0].Id);
        Assert.Contains(comedy[0].Narrower, n => n.Id == "genre/black-comedy");
    }

    [Theory]
    [InlineData("darkly comic", "genre/black-comedy", "exact")]   // an alternative label
    [InlineData("Comédie", "genre/comedy", "prefix")]             // accents folded: "comedies" starts with it
    [InlineData("rom", "genre/romantic-comedy", "prefix")]         // "romcom", "rom-com" start with it
    [InlineData("zombies", "genre/zombie", "exact")]
    [InlineData("zzzz", null, null)]
    public async Task Concept_lookup_near_misses(string q, string? expectedFirst, string? how)
    {
        var concepts = (await AskAsync(Concepts(q))).Concepts!;
        if (expectedFirst is null)
        {
            Assert.DoesNotContain(concepts, c => c.Matched is "exact" or "prefix");
            return;
        }
        Assert.Contains(concepts, c => c.Id == expectedFirst && c.Matched == how);
        Assert.Equal(how, concepts[0].Matched);
    }

    [Fact]
    public async Task Lookups_and_searches_in_one_batch_each_get_their_own_answer()
    {
        var batch = new[] { Item(IdOf("Alien")), new SearchRequest { Query = "star wars", Limit = 3 }, Concepts("horror"), Similar("nope") }
            .Select((r, i) => new EngineQuery($"job{i}", SearchRequestNormalizer.Normalize(r))).ToArray();
        var responses = await fixture.Engine.SearchAsync(batch);

        Assert.Equal(["job0", "job1", "job2", "job3"], responses.Select(r => r.JobId));
        Assert.Equal("Alien", responses[0].Item!.Title);
        Assert.StartsWith("Star Wars", responses[1].Results[0].Title);
        Assert.Equal("genre/horror", responses[2].Concepts![0].Id);
        Assert.NotNull(responses[3].Unknown);
    }
}
