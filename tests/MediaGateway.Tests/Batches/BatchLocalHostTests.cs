using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MediaGateway.Contracts;
using MediaGateway.Contracts.Batches;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Pipeline;
using MediaGateway.GpuRunner;
using MediaGateway.Tests.Security;
using Microsoft.Extensions.DependencyInjection;

namespace MediaGateway.Tests.Batches;

/// <summary>
/// Batch search on the real local gateway (the embedded default: function classes on their routes, the trigger
/// pump running the queue-triggered batch function, the runner with the real engine), over real HTTP.
/// </summary>
[Collection(LocalGatewayCollection.Name)]
public sealed class BatchLocalHostTests(LocalGatewayFixture gateway)
{
    /// <summary>1,000 distinct requests: 250 phrasings × 4 limits.</summary>
    private static SearchRequest[] ThousandQueries()
    {
        string[] subjects = ["horror", "comedy", "drama", "action", "western", "musical", "thriller", "romance", "adventure", "science fiction"];
        string[] moods = ["", "well reviewed ", "funny ", "dark ", "short "];
        string[] times = ["", " from the 70s", " from the 80s", " from the 90s", " after 2000"];
        int[] limits = [3, 5, 7, 10];
        return (from subject in subjects from mood in moods from time in times from limit in limits
                select new SearchRequest { Query = $"{mood}{subject}{time}", Limit = limit }).ToArray();
    }

    private HttpRequestMessage Keyed(HttpRequestMessage request, string client)
    {
        request.Headers.Add("x-functions-key", LocalGatewayFixture.FunctionKey);
        return LocalGatewayFixture.From(client, request);
    }

    [Fact]
    public async Task A_thousand_query_batch_completes_through_the_queue_trigger_with_progress_and_equals_the_queries_run_one_by_one()
    {
        var queries = ThousandQueries();
        Assert.Equal(1000, queries.Select(q => (q.Query, q.Limit)).Distinct().Count());

        using var post = await gateway.Client.SendAsync(Keyed(new HttpRequestMessage(HttpMethod.Post, "/api/v1/search/batch") { Content = JsonContent.Create(new { queries }) }, "198.18.9.1"));
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var location = post.Headers.Location!.ToString();

        // Poll as a client would (a fresh client address per poll keeps the rate limiter out of this test).
        var seen = new List<BatchProgress>();
        for (var poll = 0; seen.Count == 0 || seen[^1].Status != "succeeded"; poll++)
        {
            Assert.True(poll < 2400, "the batch did not finish in 2 minutes");
            using var get = await gateway.Client.SendAsync(Keyed(new HttpRequestMessage(HttpMethod.Get, location), $"198.18.10.{poll % 250}"));
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            seen.Add((await get.Content.ReadFromJsonAsync<BatchProgress>())!);
            Assert.NotEqual("failed", seen[^1].Status);
            if (seen[^1].Status != "succeeded") await Task.Delay(50);
        }
        Assert.All(seen, p => Assert.Equal(1000, p.Total));
        Assert.Equal(seen.Select(p => p.Done).Order(), seen.Select(p => p.Done)); // never goes back
        Assert.Contains(seen, p => p.Status == "running" && p.Done is > 0 and < 1000); // progress was visible
        Assert.Equal((1000, 0), (seen[^1].Done, seen[^1].Failed));
        Assert.Equal($"{location}/results", seen[^1].Results);

        using var results = await gateway.Client.SendAsync(Keyed(new HttpRequestMessage(HttpMethod.Get, seen[^1].Results), "198.18.9.2"));
        Assert.Equal(HttpStatusCode.OK, results.StatusCode);
        Assert.Equal("application/x-ndjson", results.Content.Headers.ContentType?.MediaType);
        var lines = (await results.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonSerializer.Deserialize<BatchResultLine>(l, ContractJson.Options)!).ToArray();
        Assert.Equal(Enumerable.Range(0, 1000), lines.Select(l => l.Index));

        // The same queries, one by one, on the same engine (not through the gateway, whose cache now holds them).
        var engine = gateway.Services.GetRequiredService<EngineHost>().Engine!;
        for (var i = 0; i < queries.Length; i++)
        {
            var normalized = SearchRequestNormalizer.Normalize(queries[i]);
            var alone = (await engine.SearchAsync([new EngineQuery("one-by-one", normalized)], CancellationToken.None))[0];
            Assert.Equal(JobStatus.Succeeded, lines[i].Status);
            Assert.Equal(normalized.Query, lines[i].Query);
            Assert.Equal(alone.Results.Select(r => (r.Id, r.Score)), lines[i].Result!.Results.Select(r => (r.Id, r.Score)));
        }
    }

    [Theory]
    [InlineData("POST", "/api/v1/search/batch")]
    [InlineData("GET", "/api/v1/batches/0123456789abcdef0123456789abcdef")]
    [InlineData("GET", "/api/v1/batches/0123456789abcdef0123456789abcdef/results")]
    public async Task Batch_routes_need_the_function_key(string method, string path)
    {
        var request = LocalGatewayFixture.From("198.18.9.3", new HttpRequestMessage(new HttpMethod(method), path));
        if (method == "POST") request.Content = JsonContent.Create(new { queries = new[] { new { query = "alien" } } });
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task With_the_key_a_bad_query_is_a_400_naming_its_position_and_an_unknown_batch_a_404()
    {
        using var bad = await gateway.Client.SendAsync(Keyed(new HttpRequestMessage(HttpMethod.Post, "/api/v1/search/batch")
        {
            Content = JsonContent.Create(new { queries = new object[] { new { query = "alien" }, new { query = "alien", limit = 0 } } }),
        }, "198.18.9.4"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var problem = JsonDocument.Parse(await bad.Content.ReadAsStringAsync());
        Assert.Equal("queries[1].limit", problem.RootElement.GetProperty("errors")[0].GetProperty("field").GetString());

        using var unknown = await gateway.Client.SendAsync(Keyed(new HttpRequestMessage(HttpMethod.Get, "/api/v1/batches/0123456789abcdef0123456789abcdef"), "198.18.9.4"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_query_filtering_on_a_value_no_item_has_fails_alone_with_the_catalogs_values()
    {
        var queries = new object[] { new { query = "haunted houses" }, new { query = "haunted houses", filters = new { genres = new[] { "Horor" } } } };
        using var post = await gateway.Client.SendAsync(Keyed(new HttpRequestMessage(HttpMethod.Post, "/api/v1/search/batch") { Content = JsonContent.Create(new { queries }) }, "198.18.9.5"));
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var location = post.Headers.Location!.ToString();

        BatchProgress? progress = null;
        for (var poll = 0; progress?.Status is not ("succeeded" or "failed"); poll++)
        {
            Assert.True(poll < 600, "the batch did not finish in 30 seconds");
            if (poll > 0) await Task.Delay(50);
            using var get = await gateway.Client.SendAsync(Keyed(new HttpRequestMessage(HttpMethod.Get, location), $"198.18.11.{poll % 250}"));
            progress = await get.Content.ReadFromJsonAsync<BatchProgress>();
        }
        Assert.Equal(("succeeded", 2, 1), (progress!.Status, progress.Done, progress.Failed));

        using var results = await gateway.Client.SendAsync(Keyed(new HttpRequestMessage(HttpMethod.Get, progress.Results), "198.18.9.6"));
        var lines = (await results.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonSerializer.Deserialize<BatchResultLine>(l, ContractJson.Options)!).ToArray();
        Assert.Equal(JobStatus.Succeeded, lines[0].Status);
        Assert.NotEmpty(lines[0].Result!.Results);
        Assert.Equal(JobStatus.Failed, lines[1].Status);
        // A batch keeps its queries normalised (as its result lines show them): the field and value are named as stored.
        Assert.StartsWith("filters.genres: no catalog item has the genre 'horor'", lines[1].Error);
        Assert.Contains("Horror", lines[1].Error);
    }

    private sealed record BatchProgress(string Status, int Total, int Done, int Failed, string? Results);
}
