namespace MediaGateway.Engine.Ontology;

/// <summary>Where the engine reads its ontology (<c>MediaGateway:Engine:OntologyStore</c>).</summary>
public enum OntologyStoreKind
{
    /// <summary>The shipped SKOS file, in the runner's memory (the default).</summary>
    Embedded,

    /// <summary>A Neo4j server over its Query API (settings under <c>MediaGateway:Neo4j</c>), loaded from the same file at start.</summary>
    Neo4j,
}
