using System.Text;
using MediaGateway.Engine.Ontology;

namespace MediaGateway.Tests.Engine;

public sealed class OntologyTests
{
    private static readonly ConceptGraph Graph = ConceptGraph.LoadEmbedded();

    [Fact]
    public void The_shipped_scheme_has_at_least_150_concepts_each_with_a_label_and_a_definition()
    {
        Assert.True(Graph.Concepts.Count >= 150, $"{Graph.Concepts.Count} concepts");
        Assert.All(Graph.Concepts, c => Assert.False(string.IsNullOrWhiteSpace(c.PrefLabel) || string.IsNullOrWhiteSpace(c.Definition), c.Id));
        foreach (var scheme in new[] { "genre", "mood", "theme", "audience", "source", "era", "format", "creativeType", "rating" })
            Assert.Contains(Graph.Concepts, c => c.Scheme == scheme);
    }

    [Fact]
    public void Narrower_is_derived_from_broader_and_related_is_symmetric()
    {
        Assert.Contains("genre/black-comedy", Graph.Find("genre/comedy")!.Narrower);
        Assert.Contains("genre/comedy", Graph.Find("genre/black-comedy")!.Broader);
        Assert.Contains("theme/dance", Graph.Find("genre/musical")!.Related);
        Assert.Contains("genre/musical", Graph.Find("theme/dance")!.Related);
        Assert.Contains("source/adaptation", Graph.Find("source/play")!.Broader);
    }

    [Fact]
    public void Expansion_weights_decay_exact_over_narrower_over_related()
    {
        var comedy = Graph.Expand("genre/comedy");
        Assert.Equal(("genre/comedy", 1.0, ConceptRelation.Exact), (comedy[0].Concept.Id, comedy[0].Weight, comedy[0].Relation));
        var black = comedy.Single(e => e.Concept.Id == "genre/black-comedy");
        Assert.Equal((0.8, ConceptRelation.Narrower, "Comedy → Black Comedy"), (black.Weight, black.Relation, black.PathText));
        var dance = Graph.Expand("genre/musical").Single(e => e.Concept.Id == "theme/dance");
        Assert.Equal((0.5, ConceptRelation.Related), (dance.Weight, dance.Relation));
        // Two levels down: Adaptation → Based on Play is one step; Horror → Slasher one; deeper decays again.
        Assert.Contains(Graph.Expand("genre/thriller"), e => e.Concept.Id == "genre/heist" && Math.Abs(e.Weight - 0.64) < 1e-9);
    }

    [Fact]
    public void A_concept_naming_no_catalog_value_stands_for_its_nearest_broader_one()
    {
        var slasher = Graph.Expand("genre/slasher");
        var horror = slasher.Single(e => e.Concept.Id == "genre/horror");
        Assert.Equal((ConceptRelation.Broader, "Slasher → Horror"), (horror.Relation, horror.PathText));
        Assert.True(horror.Weight < 1);
        // A concept that names a value itself does not climb.
        Assert.DoesNotContain(Graph.Expand("genre/black-comedy"), e => e.Relation == ConceptRelation.Broader);
    }

    [Fact]
    public void A_bad_file_is_refused_with_the_node_named()
    {
        static ConceptGraph Load(string json) => new(SkosJsonLdReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json))));
        var e = Assert.Throws<InvalidDataException>(() => Load("""{"@graph":[{"@id":"a","@type":"skos:Concept","inScheme":"scheme:genre","prefLabel":"A","broader":["nope"]}]}"""));
        Assert.Contains("nope", e.Message);
        Assert.Throws<InvalidDataException>(() => Load("""{"@graph":[{"@id":"a","@type":"skos:Concept","inScheme":"scheme:genre","prefLabel":"A","broader":["b"]},{"@id":"b","@type":"skos:Concept","inScheme":"scheme:genre","prefLabel":"B","broader":["a"]}]}"""));
        Assert.Throws<InvalidDataException>(() => Load("""{"@graph":[{"@id":"a","@type":"skos:Concept","inScheme":"scheme:genre","prefLabel":"A","facet":{"field":"colour","value":"red"}}]}"""));
    }
}
