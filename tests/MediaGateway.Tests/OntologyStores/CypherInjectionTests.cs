using System.Text.Json.Nodes;
using MediaGateway.Engine.Ontology;
using MediaGateway.OntologyStores.Neo4j;
using static MediaGateway.Tests.OntologyStores.OntologyContractData;

namespace MediaGateway.Tests.OntologyStores;

/// <summary>
/// Every string that reaches a Neo4j query (concept ids, labels, definitions, facet values, catalog name, item
/// ids and titles, looked-up ids) is hostile here; each must travel only as a parameter: every statement sent is
/// one of the constants of <see cref="Neo4jStatements"/>, byte for byte, no statement holds any hostile text,
/// every hostile string is found among the parameters, and the graph holds exactly what was loaded.
/// </summary>
[Collection(Neo4jCollection.Name)]
public sealed class CypherInjectionTests
{
    [Fact]
    public async Task Hostile_strings_in_every_value_travel_only_as_parameters_and_come_back_intact()
    {
        var server = new Neo4jDouble();
        await using var host = Neo4jTestHost.ForDouble(server);
        var source = HostileGraph();
        var items = HostileItems();
        const string catalog = "cat '}) DETACH DELETE n // %||\\ }";

        var store = await host.OpenAsync(source, catalog, items);
        foreach (var h in Hostile)
        {
            Assert.Equal(Describe(source.Find($"genre/{h}")!), Describe(store.Find($"genre/{h}")!));
            Assert.Equal(Describe(source.Expand($"genre/{h}")), Describe(store.Expand($"genre/{h}")));
        }
        Assert.Null(store.Find("'}) DETACH DELETE n //"));
        Assert.Empty(await store.ExpandManyAsync(["') MATCH (n) DETACH DELETE n //", "x\\' OR 1=1"]));
        var carried = await store.ItemConceptsAsync(items.Select(i => i.Id).ToArray());

        // Each item carries exactly the concepts whose facet values it has or whose years hold its year.
        foreach (var item in items)
            Assert.Equal(CatalogConcepts.Of(item, source.Concepts).Order(StringComparer.Ordinal), carried[item.Id]);
        Assert.Equal(source.Concepts.Count, server.ConceptCount);
        Assert.Equal(items.Count, server.ItemCount);

        var requests = server.Requests.ToArray();
        Assert.All(requests, r => Assert.Contains(r.Statement, Neo4jStatements.All));
        foreach (var h in Hostile.Where(h => h.Length > 3 && h != "$rows")) // "$rows" is how the statements name their parameter
            Assert.All(requests, r => Assert.DoesNotContain(h, r.Statement));
        var parameters = string.Join("\n", requests.Select(r => AllStrings(r.Parameters)).SelectMany(s => s));
        foreach (var h in Hostile) Assert.Contains(h, parameters);
        Assert.Contains(catalog, parameters);
    }

    [Fact]
    public void Every_statement_is_a_constant_with_its_values_as_parameters()
    {
        foreach (var statement in Neo4jStatements.All)
        {
            // No quoted literal other than the item-key separator-free constants: values come in as $parameters.
            Assert.DoesNotContain("\"", statement);
            Assert.DoesNotContain("'", statement);
        }
        Assert.Equal(Neo4jStatements.All.Count, Neo4jStatements.All.Distinct().Count());
    }

    [Fact]
    public void Item_keys_are_unambiguous_whatever_the_catalog_and_id_hold() =>
        Assert.NotEqual(Neo4jStatements.ItemKey("a/b", "c"), Neo4jStatements.ItemKey("a", "b/c"));

    private static IEnumerable<string> AllStrings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => AllStrings(p.Value)),
        JsonArray a => a.SelectMany(AllStrings),
        JsonValue v when v.TryGetValue(out string? s) => [s],
        _ => [],
    };
}
