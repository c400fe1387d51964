using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Query;

namespace MediaGateway.Engine.Ontology;

/// <summary>
/// Which concepts a catalog item carries directly: those whose facet values it has or whose years hold its
/// release year (the same test <see cref="ConceptConstraint"/> applies at query time). These are the
/// item → concept edges a server store keeps.
/// </summary>
public static class CatalogConcepts
{
    public static IReadOnlyList<string> Of(CatalogItem item, IReadOnlyList<Concept> concepts) =>
        concepts.Where(c => ConceptConstraint.Carries(item, c)).Select(c => c.Id).ToArray();
}
