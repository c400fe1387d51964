using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Pipeline;
using MediaGateway.Tests.Support;

namespace MediaGateway.Tests.Engine;

/// <summary>The real pipeline (MiniLM, demo catalog, CPU backend) answers the queries the README promises.</summary>
[Collection(EngineCollection.Name)]
public sealed class SearchEngineTests(EngineFixture fixture)
{
    private async Task<SearchResponse> SearchAsync(SearchRequest request) =>
        (await fixture.Engine.SearchAsync([new EngineQuery("test", SearchRequestNormalizer.Normalize(request))]))[0];

    [Fact]
    public async Task Star_wars_returns_a_star_wars_film_first()
    {
        var response = await SearchAsync(new SearchRequest { Query = "star wars", Limit = 5 });

        Assert.StartsWith("Star Wars", response.Results[0].Title);
        Assert.Contains("title", response.Results[0].MatchedFields);
    }

    [Fact]
    public async Task A_filtered_search_returns_only_matching_items_and_fills_its_limit()
    {
        var response = await SearchAsync(new SearchRequest
        {
            Query = "scary",
            Limit = 20,
            Filters = new SearchFilters { Genres = ["Horror"], YearRange = [1980, 1989] },
        });

        Assert.Equal(20, response.Results.Count); // the demo catalog has 47 such films
        Assert.All(response.Results, r =>
        {
            Assert.Equal("Horror", r.Genre);
            Assert.InRange(r.Year!.Value, 1980, 1989);
        });
        Assert.True(response.Candidates >= 20);
    }

    [Fact]
    public async Task Plain_words_reach_catalog_facets_through_the_ontology()
    {
        var response = await SearchAsync(new SearchRequest { Query = "a scary film from the 80s", Limit = 10 });

        Assert.True(response.Results.Count(r => r.Genre == "Horror") >= 5, string.Join(", ", response.Results.Select(r => $"{r.Title} ({r.Genre})")));
        Assert.Contains(response.Results, r => r.Explanation!.Reasons.Any(x => x.Contains("genre Horror")));
    }

    [Fact]
    public async Task Results_are_ranked_by_score_and_explained()
    {
        var response = await SearchAsync(new SearchRequest { Query = "space adventure", Limit = 10 });

        Assert.Equal(response.Results.OrderByDescending(r => r.Score).Select(r => r.Id), response.Results.Select(r => r.Id));
        Assert.All(response.Results, r => Assert.NotNull(r.Explanation));
        Assert.NotNull(response.TimingsMs);
    }

    [Fact]
    public void Accents_are_folded_before_embedding()
    {
        var vectors = fixture.Embedder.Embed(["Amélie", "Amelie", "Apocalypse Now"]);

        Assert.Equal(vectors[0], vectors[1]);
        Assert.NotEqual(vectors[0], vectors[2]);
    }

    [Fact]
    public async Task A_batch_is_answered_per_query_in_order()
    {
        var batch = new[] { "star wars", "toy story", "the godfather" }
            .Select((q, i) => new EngineQuery($"job-{i}", SearchRequestNormalizer.Normalize(new SearchRequest { Query = q, Limit = 3 }))).ToArray();

        var responses = await fixture.Engine.SearchAsync(batch);

        Assert.Equal(["job-0", "job-1", "job-2"], responses.Select(r => r.JobId));
        Assert.StartsWith("Star Wars", responses[0].Results[0].Title);
        Assert.StartsWith("Toy Story", responses[1].Results[0].Title);
        Assert.StartsWith("The Godfather", responses[2].Results[0].Title);
        Assert.All(responses, r => Assert.Equal(3, r.TimingsMs!.BatchSize));
    }

    [Fact]
    public async Task More_like_a_title_searches_around_it_without_returning_it()
    {
        var response = await SearchAsync(new SearchRequest { Query = "more like Alien, but for kids", Limit = 10 });

        var plainKids = await SearchAsync(new SearchRequest { Query = "for kids", Limit = 10 });

        Assert.DoesNotContain(response.Results, r => r.Id == "alien-1979");
        // "but for kids" is insisted on; "like Alien" steers which kids' films come first.
        Assert.All(response.Results, r => Assert.Equal("Kids Fiction", r.CreativeType));
        Assert.NotEqual(plainKids.Results.Select(r => r.Id).Take(5), response.Results.Select(r => r.Id).Take(5));
    }

    [Fact]
    public async Task Runtime_and_decade_words_favour_items_that_satisfy_them()
    {
        var response = await SearchAsync(new SearchRequest { Query = "a scary film from the 80s under two hours", Limit = 10 });

        // Most of the catalog has no runtime; what is known must not contradict the request.
        Assert.True(response.Results.Count(r => r.Genre == "Horror" && r.Year is >= 1980 and <= 1989) >= 8,
            string.Join(", ", response.Results.Select(r => $"{r.Title} {r.Year} {r.Genre} {r.RuntimeMinutes}")));
        Assert.DoesNotContain(response.Results, r => r.RuntimeMinutes > 120);
    }

    [Fact]
    public async Task What_follows_but_is_required_when_enough_items_have_it()
    {
        var response = await SearchAsync(new SearchRequest { Query = "something like the godfather but funny", Limit = 5 });

        Assert.All(response.Results, r => Assert.Contains("Comedy", r.Genre));
    }
}
