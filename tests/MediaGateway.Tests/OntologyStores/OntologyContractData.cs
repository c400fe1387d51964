using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Ontology;

namespace MediaGateway.Tests.OntologyStores;

/// <summary>Ontologies and catalogs the contract suite loads: the shipped one, and a small one made of hostile strings.</summary>
internal static class OntologyContractData
{
    /// <summary>The reference: the shipped ontology in memory. Every store must expand exactly as it does.</summary>
    public static readonly ConceptGraph Shipped = ConceptGraph.LoadEmbedded();

    /// <summary>Strings that would break a statement built by concatenation: quotes, backslashes, ||, %, braces, Cypher fragments, parameter and comment syntax, newlines.</summary>
    public static readonly string[] Hostile =
    [
        "it's", "say \"cheese\"", @"back\slash", @"trailing\", @"\'", "a || b", "100%", "_%_", "brace}", "{id: 'x'}",
        "'}) DETACH DELETE n //", "\"}) MATCH (n) DETACH DELETE n RETURN 1 //", "x` DETACH DELETE n //", "$rows", "/* c */ // c",
        "line\nbreak\r\ttab", "ünïcödé — ☃", "') CALL dbms.killQueries() //", "1 OR 1=1", "\\u0027",
    ];

    /// <summary>
    /// A small ontology whose every id, label, definition, scheme-free text and facet value is hostile: a root
    /// genre, one narrower concept per hostile string (some two levels down), related pairs, and a concept that
    /// names nothing under a hostile parent, so every expansion rule meets hostile text.
    /// </summary>
    public static ConceptGraph HostileGraph()
    {
        var concepts = new List<Concept>
        {
            new() { Id = "genre/root", Scheme = "genre", PrefLabel = "Root", Definition = "The root.", Facets = [new FacetValue(FacetField.Genre, "Root")] },
        };
        for (var i = 0; i < Hostile.Length; i++)
        {
            var h = Hostile[i];
            concepts.Add(new Concept
            {
                Id = $"genre/{h}",
                Scheme = "genre",
                PrefLabel = $"Label {h}",
                AltLabels = [h, $"{h} again"],
                Definition = $"Defined as {h}.",
                Broader = [i % 3 == 2 ? $"genre/{Hostile[i - 1]}" : "genre/root"],
                Related = i % 4 == 1 ? [$"genre/{Hostile[i - 1]}"] : [],
                Facets = i % 5 == 4 ? [] : [new FacetValue(FacetField.Genre, h)],
                Years = i % 7 == 3 ? (1980 + i, 1989 + i) : null,
            });
        }
        return new ConceptGraph(concepts);
    }

    /// <summary>Items with hostile ids and titles, carrying the hostile graph's facet values.</summary>
    public static IReadOnlyList<CatalogItem> HostileItems() =>
        Hostile.Select((h, i) => new CatalogItem
        {
            Id = $"item {h}",
            Title = $"Title {h}",
            Genres = [h, "Root"],
            Year = 1985 + i,
            EmbeddingText = h,
        }).ToArray();

    /// <summary>An expansion as comparable text: id, weight (rounded), relation and path.</summary>
    public static string[] Describe(IReadOnlyList<ConceptExpansion> expansion) =>
        expansion.Select(e => $"{e.Concept.Id} {e.Weight:F6} {e.Relation} {e.PathText}").ToArray();

    /// <summary>A concept as comparable text: every field the store keeps.</summary>
    public static string Describe(Concept c) =>
        string.Join(" | ", c.Id, c.Scheme, c.PrefLabel, string.Join(",", c.AltLabels), c.Definition, string.Join(",", c.Broader),
            string.Join(",", c.Narrower), string.Join(",", c.Related), string.Join(",", c.Facets), c.Years?.ToString() ?? "-");
}
