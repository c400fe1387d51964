using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Ontology;

namespace MediaGateway.Tests.OntologyStores;

/// <summary>One of the ontology-store implementations the contract suite runs against.</summary>
internal sealed class OntologyStoreUnderTest : IAsyncDisposable
{
    public const string Embedded = "embedded", Neo4jOverDouble = "neo4j-double", Neo4jServer = "neo4j-server";

    private readonly Neo4jTestHost? _neo4j;

    private OntologyStoreUnderTest(string kind, Neo4jTestHost? neo4j) => (Kind, _neo4j) = (kind, neo4j);

    public string Kind { get; }

    /// <summary>The embedded store and Neo4j over the double always; a real Neo4j too when NEO4J_URI is set (else <see cref="Neo4jServerFactAttribute"/> says it was skipped).</summary>
    public static IReadOnlyList<string> All =>
        Neo4jTestHost.ServerUri is null ? [Embedded, Neo4jOverDouble] : [Embedded, Neo4jOverDouble, Neo4jServer];

    public static TheoryData<string> Kinds() => new(All);

    public static OntologyStoreUnderTest Create(string kind) => kind switch
    {
        Embedded => new OntologyStoreUnderTest(kind, null),
        Neo4jOverDouble => new OntologyStoreUnderTest(kind, Neo4jTestHost.ForDouble(new Neo4jDouble())),
        Neo4jServer => new OntologyStoreUnderTest(kind, Neo4jTestHost.ForServer()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public Neo4jDouble? Double => _neo4j?.Double;

    /// <summary>A store holding <paramref name="source"/> (for Neo4j: loaded through the connector, as at start).</summary>
    public async Task<IOntologyStore> OpenAsync(ConceptGraph source, string catalog = "contract", IReadOnlyList<CatalogItem>? items = null) =>
        _neo4j is null ? source : await _neo4j.OpenAsync(source, catalog, items);

    public async ValueTask DisposeAsync()
    {
        if (_neo4j is not null) await _neo4j.DisposeAsync();
    }
}
