using MediaGateway.Engine.Ontology;
using static MediaGateway.Tests.OntologyStores.OntologyContractData;

namespace MediaGateway.Tests.OntologyStores;

/// <summary>
/// The ontology-store seam's contract: the same assertions run against the embedded store, the Neo4j adapter
/// over the in-process Query API double, and a real Neo4j when NEO4J_URI is set. The truth is the embedded
/// <see cref="ConceptGraph"/> over the shipped file (docs/ontology.md states its weights).
/// </summary>
[Collection(Neo4jCollection.Name)]
public sealed class OntologyStoreContractTests
{
    public static TheoryData<string> Stores => OntologyStoreUnderTest.Kinds();

    [Theory, MemberData(nameof(Stores))]
    public async Task Every_concept_comes_back_with_its_labels_definition_facets_years_and_edges_in_the_files_order(string kind)
    {
        await using var under = OntologyStoreUnderTest.Create(kind);
        var store = await under.OpenAsync(Shipped);

        Assert.Equal(Shipped.Concepts.Select(Describe), store.Concepts.Select(Describe));
        Assert.Equal(Describe(Shipped.Find("genre/black-comedy")!), Describe(store.Find("genre/black-comedy")!));
        Assert.Null(store.Find("genre/no-such-concept"));
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Expansion_decays_exact_over_narrower_over_related_and_climbs_only_from_concepts_that_name_nothing(string kind)
    {
        await using var under = OntologyStoreUnderTest.Create(kind);
        var store = await under.OpenAsync(Shipped);

        var comedy = store.Expand("genre/comedy");
        Assert.Equal(("genre/comedy", 1.0, ConceptRelation.Exact), (comedy[0].Concept.Id, comedy[0].Weight, comedy[0].Relation));
        var black = comedy.Single(e => e.Concept.Id == "genre/black-comedy");
        Assert.Equal((0.8, ConceptRelation.Narrower, "Comedy → Black Comedy"), (black.Weight, black.Relation, black.PathText));
        var dance = store.Expand("genre/musical").Single(e => e.Concept.Id == "theme/dance");
        Assert.Equal((0.5, ConceptRelation.Related), (dance.Weight, dance.Relation));
        Assert.Contains(store.Expand("genre/thriller"), e => e.Concept.Id == "genre/heist" && Math.Abs(e.Weight - 0.64) < 1e-9);
        var horror = store.Expand("genre/slasher").Single(e => e.Concept.Id == "genre/horror");
        Assert.Equal((ConceptRelation.Broader, "Slasher → Horror", 0.6), (horror.Relation, horror.PathText, horror.Weight));
        Assert.DoesNotContain(store.Expand("genre/black-comedy"), e => e.Relation == ConceptRelation.Broader);
        Assert.Empty(store.Expand("genre/no-such-concept"));
        Assert.All(store.Expand("genre/thriller", 1), e => Assert.True(e.Relation != ConceptRelation.Narrower || e.Path.Count == 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Expand("genre/comedy", ExpansionWeights.MaxDepth + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Expand("genre/comedy", -1));
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Every_concept_expands_exactly_as_the_embedded_graph_does_at_every_depth_one_by_one_and_in_one_batch(string kind)
    {
        await using var under = OntologyStoreUnderTest.Create(kind);
        var store = await under.OpenAsync(Shipped);
        var ids = Shipped.Concepts.Select(c => c.Id).ToArray();

        for (var depth = 0; depth <= ExpansionWeights.MaxDepth; depth++)
        {
            var batch = await store.ExpandManyAsync([.. ids, "genre/no-such-concept", ids[0]], depth);
            Assert.Equal(ids.Order(StringComparer.Ordinal), batch.Keys.Order(StringComparer.Ordinal));
            foreach (var id in ids)
            {
                var truth = Describe(Shipped.Expand(id, depth));
                Assert.Equal(truth, Describe(batch[id]));
                Assert.Equal(truth, Describe(store.Expand(id, depth)));
            }
        }
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.ExpandManyAsync(ids, ExpansionWeights.MaxDepth + 1));
        Assert.Empty(await store.ExpandManyAsync([]));
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Hostile_ids_labels_definitions_and_facet_values_come_back_intact_and_expand_like_any_other(string kind)
    {
        await using var under = OntologyStoreUnderTest.Create(kind);
        var source = HostileGraph();
        var store = await under.OpenAsync(source, catalog: "cat '}) DETACH DELETE n // %||\\", items: HostileItems());

        Assert.Equal(source.Concepts.Select(Describe), store.Concepts.Select(Describe));
        foreach (var h in Hostile)
        {
            var id = $"genre/{h}";
            Assert.Equal(Describe(source.Find(id)!), Describe(store.Find(id)!));
            Assert.Equal(Describe(source.Expand(id)), Describe(store.Expand(id)));
        }
        var batch = await store.ExpandManyAsync(Hostile.Select(h => $"genre/{h}").Append("genre/root").ToArray());
        Assert.Equal(Describe(source.Expand("genre/root")), Describe(batch["genre/root"]));
        Assert.Equal(source.Concepts.Count, store.Concepts.Count);
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task The_store_reports_its_kind_and_a_healthy_check(string kind)
    {
        await using var under = OntologyStoreUnderTest.Create(kind);
        var store = await under.OpenAsync(Shipped);

        var check = await store.CheckAsync();

        Assert.True(check.Healthy, check.Detail);
        Assert.Equal(kind == OntologyStoreUnderTest.Embedded ? "embedded" : "neo4j", store.Kind);
        Assert.Contains(Shipped.Concepts.Count.ToString(), check.Detail);
    }
}

/// <summary>Tests that load ontologies into Neo4j run one at a time: against a real server they share its database.</summary>
[CollectionDefinition(Name)]
public sealed class Neo4jCollection
{
    public const string Name = "neo4j";
}
