using System.Text;
using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Ontology;
using MediaGateway.Engine.Query;
using MediaGateway.OntologyStores.Neo4j;
using static MediaGateway.Tests.OntologyStores.OntologyContractData;

namespace MediaGateway.Tests.OntologyStores;

/// <summary>The Neo4j adapter's own behaviour over the Query API double: protocol, errors, retries, loading and keeping in sync, round trips per batch.</summary>
[Collection(Neo4jCollection.Name)]
public sealed class Neo4jStoreTests
{
    [Fact]
    public async Task Requests_post_to_the_databases_query_endpoint_with_basic_auth_from_configuration()
    {
        var server = new Neo4jDouble { Database = "media", User = "reader", Password = "p@ss:word" };
        await using var host = Neo4jTestHost.ForDouble(server);

        await host.OpenAsync(Shipped);

        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("reader:p@ss:word"));
        Assert.All(server.Authorizations, a => Assert.Equal(expected, a));
        Assert.NotEmpty(server.Requests);
    }

    [Fact]
    public async Task Wrong_credentials_stop_start_up_naming_the_settings_and_never_the_password()
    {
        var server = new Neo4jDouble();
        await using var host = Neo4jTestHost.ForDouble(server, new Dictionary<string, string?> { ["MediaGateway:Neo4j:Password"] = "wrong-secret" });

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => host.OpenAsync(Shipped));

        Assert.Contains("Neo.ClientError.Security.Unauthorized", e.Message);
        Assert.Contains("MediaGateway:Neo4j:Password", e.Message);
        Assert.DoesNotContain("wrong-secret", e.ToString());
    }

    [Fact]
    public async Task Server_errors_arrive_as_the_errors_envelope_with_code_and_message()
    {
        var server = new Neo4jDouble();
        await using var host = Neo4jTestHost.ForDouble(server);

        var syntax = await Assert.ThrowsAsync<Neo4jException>(() => host.Client.RunAsync("MATCH (n) DETACH DELETE n", null, CancellationToken.None));
        Assert.Equal((400, "Neo.ClientError.Statement.SyntaxError"), (syntax.HttpStatus, syntax.Code));
        var missing = await Assert.ThrowsAsync<Neo4jException>(() => host.Client.RunAsync(Neo4jStatements.FindConcepts, null, CancellationToken.None));
        Assert.Equal("Neo.ClientError.Statement.ParameterMissing", missing.Code);
        Assert.Contains("ids", missing.ServerMessage);

        await using var elsewhere = Neo4jTestHost.ForDouble(server, new Dictionary<string, string?> { ["MediaGateway:Neo4j:Database"] = "other" });
        var notFound = await Assert.ThrowsAsync<Neo4jException>(() => elsewhere.Client.RunAsync(Neo4jStatements.ReadConcepts, null, CancellationToken.None));
        Assert.Equal((404, "Neo.ClientError.Database.DatabaseNotFound"), (notFound.HttpStatus, notFound.Code));
    }

    [Fact]
    public async Task Transient_failures_are_retried_and_a_server_that_stays_down_stops_start_up_and_turns_the_check_unhealthy()
    {
        var server = new Neo4jDouble();
        await using var host = Neo4jTestHost.ForDouble(server);
        server.FailNext(2);
        var store = await host.OpenAsync(Shipped);
        Assert.Equal(Shipped.Concepts.Count, store.Concepts.Count);

        server.Down = true;
        var check = await store.CheckAsync();
        Assert.False(check.Healthy);
        Assert.Contains("does not answer", check.Detail);
        Assert.True(check.LatencyMs >= 0);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => host.OpenAsync(Shipped));
        Assert.Contains("does not answer", e.Message);
        Assert.Contains("MediaGateway:Neo4j:Endpoint", e.Message);
    }

    [Fact]
    public async Task Loading_is_idempotent_skipped_when_the_version_matches_and_a_changed_file_replaces_concepts_and_edges()
    {
        var server = new Neo4jDouble();
        await using var host = Neo4jTestHost.ForDouble(server);
        var items = HostileItems();
        var first = await host.OpenAsync(HostileGraph(), "films", items);
        var merges = server.Count(Neo4jStatements.MergeConcepts);
        Assert.Equal((int)Math.Ceiling(HostileGraph().Concepts.Count / 7.0), merges); // WriteBatchSize 7
        Assert.Equal((int)Math.Ceiling(items.Count / 7.0), server.Count(Neo4jStatements.MergeItems));

        // Same file, same catalog: nothing is written again.
        var again = await host.OpenAsync(HostileGraph(), "films", items);
        Assert.Equal(merges, server.Count(Neo4jStatements.MergeConcepts));
        Assert.Equal(first.Version, again.Version);
        Assert.Equal(first.Concepts.Select(Describe), again.Concepts.Select(Describe));

        // An edited file: one concept gone, one edge moved. Neo4j ends up holding exactly the new file.
        var edited = new ConceptGraph(HostileGraph().Concepts
            .Where(c => c.Id != $"genre/{Hostile[5]}")
            .Select(c => c with { Narrower = [], Related = c.Related.Where(r => r != $"genre/{Hostile[5]}").ToArray(),
                Broader = c.Id == $"genre/{Hostile[0]}" ? [$"genre/{Hostile[1]}"] : c.Broader.Where(b => b != $"genre/{Hostile[5]}").ToArray() }));
        var reloaded = await host.OpenAsync(edited, "films", items);
        Assert.NotEqual(first.Version, reloaded.Version);
        Assert.Equal(edited.Concepts.Select(Describe), reloaded.Concepts.Select(Describe));
        Assert.Equal(edited.Concepts.Count, server.ConceptCount);
        Assert.True(server.Count(Neo4jStatements.MergeItems) > (int)Math.Ceiling(items.Count / 7.0), "item edges are rewritten for the new version");
    }

    [Fact]
    public async Task A_batch_costs_one_round_trip_and_the_planners_expansions_after_it_cost_none()
    {
        var server = new Neo4jDouble();
        await using var host = Neo4jTestHost.ForDouble(server);
        var store = await host.OpenAsync(Shipped);
        var catalog = new InMemoryCatalogStore([
            new CatalogItem { Id = "a", Title = "Alpha", Genres = ["Horror"], Year = 1984, EmbeddingText = "a" },
            new CatalogItem { Id = "b", Title = "Beta", Genres = ["Black Comedy"], Year = 1999, MpaaRating = "R", EmbeddingText = "b" },
        ]);
        var planner = new QueryPlanner(catalog, new CatalogIndex(catalog), store, new ConceptLabels(store));
        var batch = new[] { "a scary slasher from the 80s", "darkly comic films not horror", "musicals for kids", "heist thrillers based on a play", "sci-fi westerns" }
            .Select(q => new SearchRequest { Query = q, Limit = 5 }).ToArray();
        var before = server.Count(Neo4jStatements.ReadNeighbourhood);

        var fetched = await store.ExpandManyAsync(batch.SelectMany(planner.ConceptIdsNamed).ToHashSet());
        var plans = batch.Select(planner.Plan).ToArray();

        Assert.Equal(before + 1, server.Count(Neo4jStatements.ReadNeighbourhood));
        Assert.True(fetched.Count >= 8, $"{fetched.Count} concepts fetched");
        Assert.All(plans, p => Assert.NotEmpty(p.Concepts));
        // The plans equal those made over the embedded graph.
        var reference = new QueryPlanner(catalog, new CatalogIndex(catalog), Shipped, new ConceptLabels(Shipped));
        for (var i = 0; i < batch.Length; i++)
            Assert.Equal(reference.Plan(batch[i]).Interpretation.Select(r => r.ToString()), plans[i].Interpretation.Select(r => r.ToString()));
        // The next batch asking for the same concepts is answered from what the store keeps.
        await store.ExpandManyAsync(batch.SelectMany(planner.ConceptIdsNamed).ToHashSet());
        Assert.Equal(before + 1, server.Count(Neo4jStatements.ReadNeighbourhood));
    }

    [Fact]
    public async Task The_health_check_names_the_version_and_notices_another_version_loaded_behind_its_back()
    {
        var server = new Neo4jDouble();
        await using var host = Neo4jTestHost.ForDouble(server);
        var store = await host.OpenAsync(Shipped);
        Assert.Contains(store.Version, (await store.CheckAsync()).Detail);

        await host.OpenAsync(HostileGraph());

        var check = await store.CheckAsync();
        Assert.Contains($"not {store.Version}", check.Detail);
    }

    [Theory]
    [InlineData("http://localhost:7474", "http://localhost:7474/")]
    [InlineData("https://db.example:7473", "https://db.example:7473/")]
    [InlineData("neo4j+s://abc.databases.neo4j.io", "https://abc.databases.neo4j.io/")]
    public void Endpoints_map_to_the_query_apis_http_address(string configured, string expected) =>
        Assert.Equal(expected, Neo4jQueryClient.HttpEndpoint(configured).ToString());

    [Theory]
    [InlineData("bolt://localhost:7687")]
    [InlineData("http://neo4j:hunter2@localhost:7474")]
    [InlineData("")]
    public void Endpoints_that_are_not_http_or_hold_credentials_are_refused(string configured)
    {
        var e = Assert.Throws<InvalidOperationException>(() => Neo4jQueryClient.HttpEndpoint(configured));
        Assert.Contains("MediaGateway:Neo4j", e.Message);
        Assert.DoesNotContain("hunter2", e.Message);
    }

    [Neo4jServerFact]
    public async Task A_real_server_holds_the_shipped_ontology_and_expands_every_concept_as_the_embedded_graph()
    {
        await using var host = Neo4jTestHost.ForServer();
        var store = await host.OpenAsync(Shipped);
        var ids = Shipped.Concepts.Select(c => c.Id).ToArray();
        var batch = await store.ExpandManyAsync(ids);
        foreach (var id in ids) Assert.Equal(Describe(Shipped.Expand(id)), Describe(batch[id]));
        Assert.True((await store.CheckAsync()).Healthy);
    }
}
