using MediaGateway.Engine.Catalog;

namespace MediaGateway.Engine.Ontology;

/// <summary>
/// Opens a server-backed ontology store at start: checks the server answers, brings its graph in line with the
/// shipped ontology (the file stays the source of truth) and writes the catalog's item → concept edges.
/// Implemented outside the engine (MediaGateway.OntologyStores.Neo4j), so the engine itself holds no HTTP code.
/// </summary>
public interface IOntologyStoreConnector
{
    OntologyStoreKind Kind { get; }

    /// <param name="source">The ontology to load (the embedded file's graph).</param>
    /// <param name="catalog">The catalog's name (its items are keyed by it).</param>
    /// <param name="items">The catalog's items, whose concepts become edges (<see cref="CatalogConcepts"/>).</param>
    Task<IOntologyStore> OpenAsync(ConceptGraph source, string catalog, IReadOnlyList<CatalogItem> items, CancellationToken cancellationToken = default);
}
