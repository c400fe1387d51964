using MediaGateway.Contracts.Search;
using MediaGateway.Storage;
using MediaGateway.Engine.Pipeline;
using MediaGateway.Functions;
using MediaGateway.Functions.Health;
using MediaGateway.Functions.Http;
using MediaGateway.Functions.Search;
using MediaGateway.GpuRunner;
using MediaGateway.Tests.Support;
using MediaGateway.Tests.VectorStores;
using MediaGateway.VectorStores.Milvus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MediaGateway.Tests.Integration;

/// <summary>
/// The local run (gateway and runner in one process, in-process storage) with
/// <c>MediaGateway:Engine:VectorStore=Milvus</c> against the Milvus double: the runner syncs the demo catalog
/// into the collection at start, and searches over HTTP return the same ids as the embedded store's engine.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class MilvusLocalRunTests(EngineFixture embedded) : IAsyncLifetime
{
    private readonly MilvusDouble _milvus = new() { Token = "root:Milvus" };
    private LocalRunHost _host = null!;

    public async Task InitializeAsync() => _host = await LocalRunHost.StartAsync(new Dictionary<string, string?>
    {
        ["MediaGateway:Engine:VectorStore"] = "Milvus",
        ["MediaGateway:Milvus:Endpoint"] = "http://milvus.test:19530",
        ["MediaGateway:Milvus:Token"] = "root:Milvus",
        ["MediaGateway:Milvus:ConsistencyLevel"] = "Strong",
        ["MediaGateway:Runner:DependencyCheckTimeout"] = "00:00:00.500",
    }, MilvusRegistration.HttpClientName, _milvus);

    [Fact]
    public async Task A_milvus_that_hangs_is_reported_timed_out_by_the_next_heartbeat_which_is_not_held_back()
    {
        Assert.True((await _host.DependencyInHealthDetailsAsync("milvus")).GetProperty("healthy").GetBoolean());
        _milvus.Hangs = true;
        try
        {
            // Heartbeats every 0.2 s: within a few of them the check is cut off at 0.5 s and reported.
            System.Text.Json.JsonElement milvus = default;
            for (var attempt = 0; attempt < 100; attempt++)
            {
                milvus = await _host.DependencyInHealthDetailsAsync("milvus");
                if (!milvus.GetProperty("healthy").GetBoolean()) break;
                await Task.Delay(100);
            }
            Assert.False(milvus.GetProperty("healthy").GetBoolean(), milvus.GetRawText());
            Assert.Contains("timed out", milvus.GetProperty("detail").GetString());
            Assert.InRange(milvus.GetProperty("latencyMs").GetDouble(), 400, 5_000);
        }
        finally
        {
            _milvus.Hangs = false;
        }
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string> Requests => new()
    {
        """{"query":"star wars","limit":5}""",
        """{"query":"a scary film from the 80s under two hours","limit":10}""",
        """{"query":"more like Alien, but for kids","limit":10}""",
        """{"query":"space adventure","limit":20,"filters":{"genres":["Action","Adventure"],"yearRange":[1975,1995],"minRating":6.5}}""",
        """{"query":"romance","limit":10,"filters":{"mpaaRatings":["PG","PG-13"],"runtimeRange":[80,120]}}""",
        """{"query":"thrillers but not horror","limit":10}""",
        """{"query":"sci-fi without aliens","limit":10}""",
    };

    [Theory, MemberData(nameof(Requests))]
    public async Task A_search_through_the_local_run_on_milvus_returns_the_embedded_stores_ids(string body)
    {
        var (reply, expected) = await _host.SearchBothAsync(body, embedded.Engine);

        Assert.Equal(200, reply.Status);
        Assert.Equal(expected.Results.Select(r => r.Id), reply.Json.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(expected.Candidates, reply.Json.GetProperty("candidates").GetInt32());
        Assert.Contains(_milvus.Requests, r => r.Operation == "entities/search");
    }

    [Fact]
    public async Task Typed_filters_reach_milvus_as_expressions_on_its_fields_not_as_lists_of_ids()
    {
        const string body = """{"query":"space adventure","limit":20,"filters":{"genres":["Action","Adventure"],"yearRange":[1975,1995],"minRating":6.5}}""";
        var (reply, expected) = await _host.SearchBothAsync(body, embedded.Engine);
        Assert.Equal(expected.Results.Select(r => r.Id), reply.Json.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()));

        var filters = _milvus.Requests.Where(r => r.Operation == "entities/search").Select(r => r.Body["filter"]!.GetValue<string>()).ToArray();
        var filtered = filters.First(f => f.Contains("ARRAY_CONTAINS_ANY(genres, [\"action\", \"adventure\"])", StringComparison.Ordinal));
        Assert.DoesNotContain("item_id in", filtered);
        Assert.Contains("year >= 1975 and year <= 1995", filtered);
        Assert.Contains("imdb_rating >= 6.5", filtered);
    }

    [Fact]
    public async Task An_exclusion_milvus_cannot_evaluate_travels_as_the_few_ids_it_leaves_out()
    {
        const string body = """{"query":"space adventure without aliens","limit":10}""";
        var (reply, expected) = await _host.SearchBothAsync(body, embedded.Engine);
        Assert.Equal(expected.Results.Select(r => r.Id), reply.Json.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()));

        // "without aliens" admits all but the few items whose text names aliens: those few ids are sent, not 3,000 others.
        var filter = _milvus.Requests.Where(r => r.Operation == "entities/search").Select(r => r.Body["filter"]!.GetValue<string>())
            .Last(f => f.Contains(" not in ", StringComparison.Ordinal));
        Assert.Contains("alien-1979", filter);
        Assert.DoesNotContain("item_id in", filter);
        Assert.True(filter.Length < 2_000, $"{filter.Length} characters");
    }

    [Fact]
    public async Task The_catalog_is_synced_once_and_the_health_report_shows_milvus_with_its_latency()
    {
        var engine = await _host.Services.GetRequiredService<EngineHost>().WhenReady(CancellationToken.None);
        Assert.Equal("milvus", engine.VectorStoreKind);
        Assert.Equal(engine.CatalogCount, _milvus.Requests.Where(r => r.Operation == "entities/upsert").Sum(r => r.Body["data"]!.AsArray().Count));

        // The heartbeat carries the vector store's check to the gateway's health details (the route that needs
        // the function key; the host enforces the key, so calling the function directly skips it here).
        var milvus = await _host.DependencyInHealthDetailsAsync("milvus");
        Assert.Equal(System.Text.Json.JsonValueKind.Object, milvus.ValueKind);
        Assert.True(milvus.GetProperty("healthy").GetBoolean());
        Assert.True(milvus.GetProperty("latencyMs").GetDouble() >= 0);

        // The public health route shows the runner's state only: nothing about Milvus's address or latency.
        var publicHealth = await _host.PublicHealthAsync();
        Assert.Equal(System.Text.Json.JsonValueKind.String, publicHealth.GetProperty("checks").GetProperty("gpuRunner").ValueKind);
        Assert.DoesNotContain("milvus", publicHealth.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }
}
