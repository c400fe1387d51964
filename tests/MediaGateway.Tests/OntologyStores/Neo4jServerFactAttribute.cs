namespace MediaGateway.Tests.OntologyStores;

/// <summary>A fact that runs only against a real Neo4j (<c>NEO4J_URI</c>), and is reported as skipped, with the reason, otherwise.</summary>
public sealed class Neo4jServerFactAttribute : FactAttribute
{
    public Neo4jServerFactAttribute()
    {
        if (Neo4jTestHost.ServerUri is null) Skip = Neo4jTestHost.SkipReason;
    }
}
