using System.Text;
using System.Text.Json;
using MediaGateway.Contracts.Batches;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Functions.Batches;
using MediaGateway.Functions.Search;
using MediaGateway.Storage;
using MediaGateway.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MediaGateway.Tests.Batches;

/// <summary><c>POST /api/v1/search/batch</c> and <c>GET /api/v1/batches/{id}</c>: validation exactly like a single search, named by position.</summary>
public sealed class BatchFunctionsTests
{
    private readonly InProcessBatchStore _store = new();
    private readonly InProcessMessageQueues _queues = new(new InProcessJobQueue(), TimeProvider.System);

    private BatchFunctions Functions() =>
        new(new BatchGateway(_store, _queues, Options.Create(new GatewayOptions()), TimeProvider.System, NullLogger<BatchGateway>.Instance));

    private async Task<Reply> PostAsync(string body)
    {
        var request = HttpRequests.Post("/api/v1/search/batch", body);
        return await (await Functions().Start(request, CancellationToken.None)).RunAsync(request);
    }

    private static string Batch(params object[] queries) => JsonSerializer.Serialize(new { queries });

    [Fact]
    public async Task Each_query_is_validated_like_a_single_search_and_named_by_its_position()
    {
        var reply = await PostAsync(Batch(
            new { query = "fine" },
            new { query = "also fine", limit = 101 },
            new { query = "x", filters = new { yearRange = new[] { 1990, 1980 } } },
            new { query = "" },
            new { query = "ok", filters = new { genres = Array.Empty<string>() } }));

        Assert.Equal(400, reply.Status);
        Assert.Equal("application/problem+json; charset=utf-8", reply.ContentType);
        Assert.Equal(["queries[1].limit", "queries[2].filters.yearRange", "queries[3].query", "queries[4].filters.genres"], reply.ProblemFields);
        Assert.Contains("queries[3].query: must be a non-empty string.", reply.Json.GetProperty("detail").GetString());
        Assert.Equal(0, await ((IMessageQueue)_queues.GetQueue(StorageNames.BatchQueue)).GetApproximateLengthAsync());
    }

    [Theory]
    [InlineData("""{"queries":[{"query":"a"},{"query":"b","lmit":3}]}""", "queries[1].lmit")]
    [InlineData("""{"queries":[{"query":"a"},{"query":"b","limit":true}]}""", "queries[1].limit")]
    [InlineData("""{"queries":[{"query":"a"},null]}""", "queries[1]")]
    [InlineData("""{"queries":[{"query":"a"},{"discovery":{"kind":"item","itemId":"alien-1979"}}]}""", "queries[1].discovery")]
    [InlineData("""{"queries":[]}""", "queries")]
    [InlineData("""{"query":"a"}""", "query")]
    [InlineData("""{}""", "queries")]
    [InlineData("""[]""", "body")]
    public async Task Malformed_batches_are_400_problems_naming_the_field(string body, string field)
    {
        var reply = await PostAsync(body);

        Assert.Equal(400, reply.Status);
        Assert.Equal(field, reply.ProblemFields[0]);
    }

    [Fact]
    public async Task More_than_a_thousand_queries_is_a_400_and_more_than_two_mebibytes_a_413()
    {
        var tooMany = await PostAsync(Batch(Enumerable.Range(0, BatchLimits.MaxQueries + 1).Select(i => (object)new { query = $"q{i}" }).ToArray()));
        Assert.Equal(400, tooMany.Status);
        Assert.Contains("at most 1000", tooMany.Json.GetProperty("detail").GetString());

        var huge = new StringBuilder("""{"queries":[""");
        while (huge.Length <= BatchLimits.MaxBodyBytes) huge.Append("""{"query":"a long enough query to fill the body up quickly"},""");
        var tooLarge = await PostAsync(huge.Append("""{"query":"end"}]}""").ToString());
        Assert.Equal(413, tooLarge.Status);
    }

    [Fact]
    public async Task Errors_of_a_thousand_bad_queries_are_listed_up_to_a_bound()
    {
        var reply = await PostAsync(Batch(Enumerable.Range(0, 1000).Select(_ => (object)new { query = "" }).ToArray()));

        Assert.Equal(400, reply.Status);
        Assert.Equal(BatchLimits.MaxReportedErrors + 1, reply.ProblemFields.Count);
        Assert.Equal("queries[49].query", reply.ProblemFields[49]);
        Assert.Contains("950 more errors", reply.Text);
    }

    [Fact]
    public async Task A_valid_batch_is_accepted_with_a_random_handle_and_its_location()
    {
        var first = await PostAsync(Batch(new { query = "Star  Wars", limit = 3 }, new { query = "alien" }));
        var second = await PostAsync(Batch(new { query = "Star  Wars", limit = 3 }, new { query = "alien" }));

        Assert.Equal(202, first.Status);
        var id = first.Json.GetProperty("batchId").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.NotEqual(id, second.Json.GetProperty("batchId").GetString());
        Assert.Equal($"/api/v1/batches/{id}", first.Headers["Location"]);
        Assert.Equal("queued", first.Json.GetProperty("status").GetString());
        Assert.Equal(2, first.Json.GetProperty("total").GetInt32());
        Assert.False(first.Json.TryGetProperty("inputKey", out _));

        var stored = (await _store.GetQueriesAsync(id))!;
        Assert.Equal(["star wars", "alien"], stored.Select(q => q.Query));
        Assert.Equal(10, stored[1].Limit);

        var get = HttpRequests.Get($"/api/v1/batches/{id}");
        var view = await (await Functions().Get(get, id, CancellationToken.None)).RunAsync(get);
        Assert.Equal(200, view.Status);
        Assert.Equal("2", view.Headers["Retry-After"]);
        Assert.False(view.Json.TryGetProperty("results", out _));

        var results = HttpRequests.Get($"/api/v1/batches/{id}/results");
        var notYet = await (await Functions().Results(results, id, CancellationToken.None)).RunAsync(results);
        Assert.Equal(409, notYet.Status);
        // The same problem shape as every other: errors names the field at fault, the batch id.
        Assert.Equal(["id"], notYet.Json.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()));
    }

    [Theory]
    [InlineData("no-such-batch", 404)]
    [InlineData("bad id!", 400)]
    public async Task Unknown_or_malformed_batch_ids_are_problems(string id, int status)
    {
        var get = HttpRequests.Get($"/api/v1/batches/{id}");
        var reply = await (await Functions().Get(get, id, CancellationToken.None)).RunAsync(get);

        Assert.Equal(status, reply.Status);
        Assert.Equal("application/problem+json; charset=utf-8", reply.ContentType);
    }
}
