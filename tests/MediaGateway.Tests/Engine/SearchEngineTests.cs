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
        // "for kids" filters (Kids Fiction or rated G); "like Alien" steers which kids' films come first.
        Assert.All(response.Results, r => Assert.True(r.CreativeType == "Kids Fiction" || r.MpaaRating == "G", $"{r.Title} {r.CreativeType} {r.MpaaRating}"));
        Assert.Contains(response.Interpretation, i => i.Effect == "reference" && i.ReadAs == "like Alien (1979)");
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

    [Fact]
    public async Task The_response_says_how_each_phrase_was_read()
    {
        var response = await SearchAsync(new SearchRequest { Query = "well reviewed horror from the 80s, not remakes", Limit = 10 });

        Assert.Contains(response.Interpretation, i => i.Phrase == "horror" && i.Effect == "filter");
        Assert.Contains(response.Interpretation, i => i.Phrase == "80s" && i.ReadAs == "year 1980–1989" && i.Effect == "filter");
        Assert.Contains(response.Interpretation, i => i.Phrase == "well reviewed" && i.Effect == "boost");
        Assert.Contains(response.Interpretation, i => i.Phrase == "not remakes" && i.Effect == "exclude");
        Assert.All(response.Results, r => Assert.Equal("Horror", r.Genre));
        Assert.All(response.Results, r => Assert.InRange(r.Year!.Value, 1980, 1989));
        Assert.Contains(response.Results, r => r.Explanation!.Reasons.Any(x => x.StartsWith("\"well reviewed\" → rated")));
    }

    [Fact]
    public async Task Paraphrases_nobody_listed_map_to_concepts_by_embedding()
    {
        // No label says "ballerinas" or "spacecraft"; their embeddings are close to "ballet" and "spaceship".
        var response = await SearchAsync(new SearchRequest { Query = "ballerinas, spacecraft", Limit = 10 });

        Assert.Contains(response.Interpretation, i => i.Phrase == "ballerinas" && i.ReadAs == "concept Dance" && i.Effect == "boost" && i.Note!.StartsWith("by meaning"));
        Assert.Contains(response.Interpretation, i => i.Phrase == "spacecraft" && i.ReadAs == "concept Outer space");
        // A near miss stays unread: "star wars" is a title, not a war film, although the words are close.
        Assert.Equal(["title words"], (await SearchAsync(new SearchRequest { Query = "star wars", Limit = 3 })).Interpretation.Select(i => i.ReadAs));
    }

    [Fact]
    public async Task A_unicode_digit_query_is_searched_without_throwing()
    {
        var response = await SearchAsync(new SearchRequest { Query = "drama under ٩ hours", Limit = 5 });

        Assert.Equal(5, response.Results.Count);
        Assert.DoesNotContain(response.Interpretation, i => i.ReadAs.StartsWith("runtime"));
    }

    [Fact]
    public async Task A_repeated_phrase_cannot_amplify_the_response()
    {
        var request = new SearchRequest { Query = string.Concat(Enumerable.Repeat("80s ", 128)), Limit = 100 };
        var response = await SearchAsync(request);

        var bytes = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(response);
        Assert.True(bytes.Length < 64 * 1024, $"{bytes.Length} bytes");
        Assert.All(response.Results, r => Assert.True(r.Explanation!.Reasons.Count <= 2, string.Join(" | ", r.Explanation.Reasons)));
        Assert.Single(response.Interpretation);
    }

    [Fact]
    public async Task More_like_a_title_reads_its_stored_vector_and_does_not_return_it()
    {
        var response = await SearchAsync(new SearchRequest { Query = "similar to the godfather", Limit = 10 });

        Assert.DoesNotContain(response.Results, r => r.Id.StartsWith("the-godfather-1972"));
        Assert.Contains(response.Interpretation, i => i.Effect == "reference" && i.ReadAs.StartsWith("like The Godfather"));
    }
}
