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
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [StorageRegistration.ModeKey] = nameof(StorageMode.InProcess),
            ["MediaGateway:Engine:CatalogPath"] = EngineFixture.Options.CatalogPath,
            ["MediaGateway:Engine:EmbeddingStorePath"] = EngineFixture.Options.EmbeddingStorePath,
            ["MediaGateway:Engine:Backend"] = "Cpu",
            ["MediaGateway:Engine:VectorStore"] = "Milvus",
            ["MediaGateway:Milvus:Endpoint"] = "http://milvus.test:19530",
            ["MediaGateway:Milvus:Token"] = "root:Milvus",
            ["MediaGateway:Milvus:ConsistencyLevel"] = "Strong",
            ["MediaGateway:Runner:IdleDelay"] = "00:00:00.050",
            ["MediaGateway:Runner:HeartbeatInterval"] = "00:00:00.200",
            ["MediaGateway:Gateway:WaitForResult"] = "00:00:30",
        }).Build();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddGateway(configuration);
        builder.Services.AddGpuRunner(configuration);
        builder.Services.AddHttpClient(MilvusRegistration.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => _milvus);
        _host = builder.Build();
        await _host.StartAsync();
        await _host.Services.GetRequiredService<EngineHost>().WhenReady(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(3));
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    public static TheoryData<string> Requests => new()
    {
        """{"query":"star wars","limit":5}""",
        """{"query":"a scary film from the 80s under two hours","limit":10}""",
        """{"query":"more like Alien, but for kids","limit":10}""",
        """{"query":"space adventure","limit":20,"filters":{"genres":["Action","Adventure"],"yearRange":[1975,1995],"minRating":6.5}}""",
        """{"query":"romance","limit":10,"filters":{"mpaaRatings":["PG","PG-13"],"runtimeRange":[80,120]}}""",
    };

    [Theory, MemberData(nameof(Requests))]
    public async Task A_search_through_the_local_run_on_milvus_returns_the_embedded_stores_ids(string body)
    {
        var request = HttpRequests.Post("/api/v1/search", body);
        var reply = await (await _host.Services.GetRequiredService<SearchFunctions>().Search(request, CancellationToken.None)).RunAsync(request);
        var parsed = System.Text.Json.JsonSerializer.Deserialize<SearchRequest>(body, MediaGateway.Contracts.ContractJson.Options)!;
        var expected = (await embedded.Engine.SearchAsync([new EngineQuery("embedded", SearchRequestNormalizer.Normalize(parsed))]))[0];

        Assert.Equal(200, reply.Status);
        Assert.Equal(expected.Results.Select(r => r.Id), reply.Json.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(expected.Candidates, reply.Json.GetProperty("candidates").GetInt32());
        Assert.Contains(_milvus.Requests, r => r.Operation == "entities/search");
    }

    [Fact]
    public async Task The_catalog_is_synced_once_and_the_health_report_shows_milvus_with_its_latency()
    {
        var engine = await _host.Services.GetRequiredService<EngineHost>().WhenReady(CancellationToken.None);
        Assert.Equal("milvus", engine.VectorStoreKind);
        Assert.Equal(engine.CatalogCount, _milvus.Requests.Where(r => r.Operation == "entities/upsert").Sum(r => r.Body["data"]!.AsArray().Count));

        // The heartbeat carries the vector store's check to the gateway's health details (the route that needs
        // the function key; the host enforces the key, so calling the function directly skips it here).
        var health = _host.Services.GetRequiredService<HealthFunction>();
        System.Text.Json.JsonElement milvus = default;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var request = HttpRequests.Get("/api/v1/health/details");
            var reply = await (await health.Details(request, CancellationToken.None)).RunAsync(request);
            if (reply.Json.GetProperty("checks").GetProperty("gpuRunner").TryGetProperty("data", out var data) && data.ValueKind == System.Text.Json.JsonValueKind.Object
                && data.TryGetProperty("milvus", out milvus)) break;
            await Task.Delay(100);
        }
        Assert.Equal(System.Text.Json.JsonValueKind.Object, milvus.ValueKind);
        Assert.True(milvus.GetProperty("healthy").GetBoolean());
        Assert.True(milvus.GetProperty("latencyMs").GetDouble() >= 0);

        // The public health route shows the runner's state only: nothing about Milvus's address or latency.
        var publicRequest = HttpRequests.Get("/api/v1/health");
        var publicReply = await (await health.Run(publicRequest, CancellationToken.None)).RunAsync(publicRequest);
        Assert.Equal(System.Text.Json.JsonValueKind.String, publicReply.Json.GetProperty("checks").GetProperty("gpuRunner").ValueKind);
        Assert.DoesNotContain("milvus", publicReply.Json.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }
}
