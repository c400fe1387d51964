using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MediaGateway.Tests.Security;

namespace MediaGateway.Tests.Functions;

/// <summary>
/// The discovery endpoints over real HTTP on the local gateway (the function classes, the in-process queue and
/// stores, the runner with the real engine): answers, validation problems naming the field, 404 for unknown
/// ids, caching, and the per-route rate limit.
/// </summary>
[Collection(LocalGatewayCollection.Name)]
public sealed class DiscoveryEndpointTests(LocalGatewayFixture gateway)
{
    private const string Alien = "alien-1979";

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(string client, HttpMethod method, string path, string? json = null)
    {
        var request = LocalGatewayFixture.From(client, new HttpRequestMessage(method, path));
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        var response = await gateway.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(text.Length == 0 ? "null" : text);
        return (response.StatusCode, doc.RootElement.Clone(), response);
    }

    private static string[] ErrorFields(JsonElement problem) =>
        problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()!).ToArray();

    private static void AssertProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task An_item_is_returned_with_its_attributes_and_cached_the_second_time()
    {
        var (status, body, _) = await SendAsync("198.51.100.10", HttpMethod.Get, $"/api/v1/media/{Alien}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Alien", body.GetProperty("title").GetString());
        Assert.Equal(1979, body.GetProperty("year").GetInt32());
        Assert.True(body.GetProperty("attributes").GetProperty("worldwideGross").GetDouble() > 1e8);

        var (again, second, _) = await SendAsync("198.51.100.10", HttpMethod.Get, $"/api/v1/media/{Alien}");
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(body.GetRawText(), second.GetRawText());
    }

    [Theory]
    [InlineData("/api/v1/media/alien-1978")]
    [InlineData("/api/v1/media/alien-1978/similar")]
    [InlineData("/api/v1/media/ALIEN-1979")]   // ids keep their case
    public async Task An_unknown_item_is_a_404_problem_naming_the_id(string path)
    {
        var (_, body, response) = await SendAsync("198.51.100.11", HttpMethod.Get, path);

        AssertProblem(response, HttpStatusCode.NotFound);
        Assert.Equal(["id"], ErrorFields(body));
    }

    [Fact]
    public async Task An_overlong_id_is_a_400_problem_naming_the_id()
    {
        var (_, body, response) = await SendAsync("198.51.100.12", HttpMethod.Get, $"/api/v1/media/{new string('a', 129)}");

        AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.Equal(["id"], ErrorFields(body));
    }

    [Fact]
    public async Task Similar_items_are_ranked_explained_and_exclude_the_item()
    {
        var (status, body, _) = await SendAsync("198.51.100.13", HttpMethod.Get, $"/api/v1/media/{Alien}/similar?limit=5");

        Assert.Equal(HttpStatusCode.OK, status);
        var results = body.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(5, results.Length);
        Assert.DoesNotContain(results, r => r.GetProperty("id").GetString() == Alien);
        Assert.All(results, r => Assert.True(r.GetProperty("explanation").GetProperty("similarity").GetDouble() > 0.3));
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=101")]
    [InlineData("?limit=ten")]
    [InlineData("?limit=5&limit=6")]
    [InlineData("?limit=-1")]
    public async Task A_bad_similar_limit_is_a_400_problem_naming_limit(string query)
    {
        var (_, body, response) = await SendAsync("198.51.100.14", HttpMethod.Get, $"/api/v1/media/{Alien}/similar{query}");

        AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.Equal(["limit"], ErrorFields(body));
    }

    [Fact]
    public async Task Recommendations_are_personalised_and_explained()
    {
        var (status, body, _) = await SendAsync("198.51.100.15", HttpMethod.Post, "/api/v1/recommendations",
            """{"liked": ["alien-1979", "aliens-1986"], "disliked": ["titanic-1997"], "concepts": ["horror"], "limit": 5}""");

        Assert.Equal(HttpStatusCode.OK, status);
        var results = body.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(5, results.Length);
        Assert.All(results, r =>
        {
            var explanation = r.GetProperty("explanation");
            Assert.True(explanation.TryGetProperty("personalization", out _));
            Assert.StartsWith("close to liked", explanation.GetProperty("reasons")[0].GetString());
        });
        Assert.Contains(body.GetProperty("interpretation").EnumerateArray(), r => r.GetProperty("readAs").GetString() == "concept Horror");
    }

    [Theory]
    [InlineData("""{"liked": ["alien-1979", "nope-2001"]}""", "liked[1]", "nope-2001")]
    [InlineData("""{"liked": ["alien-1979"], "disliked": ["nope-2001"]}""", "disliked[0]", "nope-2001")]
    [InlineData("""{"concepts": ["No Such Concept"]}""", "concepts[0]", "No Such Concept")]
    public async Task Unknown_recommendation_inputs_are_404_problems_naming_the_field(string json, string field, string value)
    {
        var (_, body, response) = await SendAsync("198.51.100.16", HttpMethod.Post, "/api/v1/recommendations", json);

        AssertProblem(response, HttpStatusCode.NotFound);
        Assert.Equal([field], ErrorFields(body));
        Assert.Contains($"'{value}'", body.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("""{}""", "liked")]
    [InlineData("""{"liked": []}""", "liked")]
    [InlineData("""{"liked": [""]}""", "liked[0]")]
    [InlineData("""{"liked": ["alien-1979"], "disliked": ["alien-1979"]}""", "disliked[0]")]
    [InlineData("""{"liked": ["alien-1979"], "limit": 0}""", "limit")]
    [InlineData("""{"liked": ["alien-1979"], "mood": "dark"}""", "mood")]
    public async Task Invalid_recommendation_requests_are_400_problems_naming_the_field(string json, string field)
    {
        var (_, body, response) = await SendAsync("198.51.100.17", HttpMethod.Post, "/api/v1/recommendations", json);

        AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.Contains(field, ErrorFields(body));
    }

    [Fact]
    public async Task Too_many_liked_items_are_refused_before_any_work()
    {
        var ids = string.Join(",", Enumerable.Range(0, 33).Select(i => $"\"film-{i}\""));
        var (_, body, response) = await SendAsync("198.51.100.18", HttpMethod.Post, "/api/v1/recommendations", $$"""{"liked": [{{ids}}]}""");

        AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.Equal(["liked"], ErrorFields(body));
    }

    [Fact]
    public async Task Concepts_are_found_with_broader_and_narrower()
    {
        var (status, body, _) = await SendAsync("198.51.100.19", HttpMethod.Get, "/api/v1/concepts?q=slasher&limit=3");

        Assert.Equal(HttpStatusCode.OK, status);
        var first = body.GetProperty("concepts")[0];
        Assert.Equal("genre/slasher", first.GetProperty("id").GetString());
        Assert.Equal("genre/horror", first.GetProperty("broader")[0].GetProperty("id").GetString());
        Assert.True(body.GetProperty("total").GetInt32() >= 1);
    }

    [Theory]
    [InlineData("", "q")]
    [InlineData("?q=", "q")]
    [InlineData("?q=%20%20", "q")]
    [InlineData("?q=a%0Ab", "q")]
    [InlineData("?q=horror&q=comedy", "q")]
    [InlineData("?q=horror&limit=1000", "limit")]
    public async Task Bad_concept_lookups_are_400_problems_naming_the_field(string query, string field)
    {
        var (_, body, response) = await SendAsync("198.51.100.20", HttpMethod.Get, $"/api/v1/concepts{query}");

        AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.Equal([field], ErrorFields(body));
    }

    [Fact]
    public async Task An_overlong_concept_query_is_refused()
    {
        var (_, body, response) = await SendAsync("198.51.100.21", HttpMethod.Get, $"/api/v1/concepts?q={new string('x', 101)}");

        AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.Equal(["q"], ErrorFields(body));
    }

    [Fact]
    public async Task Each_discovery_route_has_its_own_rate_limit()
    {
        // GetMedia allows a burst of 60; the 61st request from one client at once is refused, while another route is not.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 61; i++)
            statuses.Add((await SendAsync("198.51.100.22", HttpMethod.Get, $"/api/v1/media/{new string('x', 129)}")).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync("198.51.100.22", HttpMethod.Get, "/api/v1/concepts?q=horror")).Status);
    }

    [Fact]
    public async Task A_search_cannot_smuggle_a_discovery_request()
    {
        var (_, body, response) = await SendAsync("198.51.100.23", HttpMethod.Post, "/api/v1/search",
            """{"discovery": {"kind": "item", "itemId": "alien-1979"}}""");

        AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.Equal(["discovery"], ErrorFields(body));
    }
}
