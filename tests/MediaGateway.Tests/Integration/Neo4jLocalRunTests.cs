using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Pipeline;
using MediaGateway.Functions;
using MediaGateway.Functions.Health;
using MediaGateway.Functions.Http;
using MediaGateway.Functions.Search;
using MediaGateway.GpuRunner;
using MediaGateway.OntologyStores.Neo4j;
using MediaGateway.Storage;
using MediaGateway.Tests.OntologyStores;
using MediaGateway.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MediaGateway.Tests.Integration;

/// <summary>
/// The local run (gateway and runner in one process, in-process storage) with
/// <c>MediaGateway:Engine:OntologyStore=Neo4j</c> against the Query API double: the runner loads the shipped
/// ontology and the demo catalog's concept edges at start, searches over HTTP return what the embedded
/// ontology's engine returns, each search batch costs at most two ontology round trips, and the health details
/// show Neo4j with its latency.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class Neo4jLocalRunTests(EngineFixture embedded) : IAsyncLifetime
{
    private readonly Neo4jDouble _neo4j = new();
    private LocalRunHost _host = null!;

    public async Task InitializeAsync() => _host = await LocalRunHost.StartAsync(new Dictionary<string, string?>
    {
        ["MediaGateway:Engine:OntologyStore"] = "Neo4j",
        ["MediaGateway:Neo4j:Endpoint"] = "http://neo4j.test:7474",
        ["MediaGateway:Neo4j:User"] = _neo4j.User,
        ["MediaGateway:Neo4j:Password"] = _neo4j.Password,
    }, Neo4jRegistration.HttpClientName, _neo4j);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string> Requests => new()
    {
        """{"query":"a scary film from the 80s under two hours","limit":10}""",
        """{"query":"darkly comic films that were a commercial success","limit":10}""",
        """{"query":"slasher movies, not remakes","limit":10}""",
        """{"query":"films that began in the theatre, rated above 7","limit":5}""",
        """{"query":"ballerinas and spacecraft for little ones","limit":10}""",
    };

    [Theory, MemberData(nameof(Requests))]
    public async Task A_search_through_the_local_run_on_neo4j_returns_what_the_embedded_ontology_returns_in_at_most_two_round_trips(string body)
    {
        var before = _neo4j.Count(Neo4jStatements.ReadNeighbourhood);
        var (reply, expected) = await _host.SearchBothAsync(body, embedded.Engine);

        Assert.Equal(200, reply.Status);
        var results = reply.Json.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(expected.Results.Select(r => r.Id), results.Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(expected.Results.Select(r => string.Join("; ", r.Explanation!.Reasons)),
            results.Select(r => string.Join("; ", r.GetProperty("explanation").GetProperty("reasons").EnumerateArray().Select(x => x.GetString()))));
        Assert.InRange(_neo4j.Count(Neo4jStatements.ReadNeighbourhood) - before, 0, 2);
    }

    [Fact]
    public async Task The_ontology_and_catalog_edges_are_loaded_once_and_the_health_report_shows_neo4j_with_its_latency()
    {
        var engine = await _host.Services.GetRequiredService<EngineHost>().WhenReady(CancellationToken.None);
        Assert.Equal("neo4j", engine.OntologyStoreKind);
        Assert.Equal(OntologyContractData.Shipped.Concepts.Count, _neo4j.ConceptCount);
        Assert.Equal(engine.CatalogCount, _neo4j.ItemCount);

        var neo4j = await _host.DependencyInHealthDetailsAsync("neo4j");
        Assert.Equal(System.Text.Json.JsonValueKind.Object, neo4j.ValueKind);
        Assert.True(neo4j.GetProperty("healthy").GetBoolean(), neo4j.GetRawText());
        Assert.True(neo4j.GetProperty("latencyMs").GetDouble() >= 0);
        Assert.Contains("concepts", neo4j.GetProperty("detail").GetString());

        Assert.DoesNotContain("neo4j", (await _host.PublicHealthAsync()).GetRawText(), StringComparison.OrdinalIgnoreCase);
    }
}
