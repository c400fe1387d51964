using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Ontology;
using MediaGateway.OntologyStores.Neo4j;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MediaGateway.Tests.OntologyStores;

/// <summary>
/// The production registration (<see cref="Neo4jRegistration.AddNeo4jOntologyStore"/>: options, resilient
/// HttpClient, connector) aimed at the in-process <see cref="Neo4jDouble"/>, or at a real server when
/// <c>NEO4J_URI</c> is set (<c>NEO4J_USER</c>, default neo4j; <c>NEO4J_PASSWORD</c>; <c>NEO4J_DATABASE</c>, default
/// neo4j). A real server's database is a scratch one: the tests load their own ontologies into it.
/// </summary>
internal sealed class Neo4jTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private Neo4jTestHost(Neo4jDouble? server, string endpoint, string? user, string? password, string database, IDictionary<string, string?>? settings)
    {
        Double = server;
        var values = new Dictionary<string, string?>
        {
            ["MediaGateway:Neo4j:Endpoint"] = endpoint,
            ["MediaGateway:Neo4j:User"] = user,
            ["MediaGateway:Neo4j:Password"] = password,
            ["MediaGateway:Neo4j:Database"] = database,
            ["MediaGateway:Neo4j:WriteBatchSize"] = "7", // small, so that batching is exercised
            ["MediaGateway:Neo4j:RetryBaseDelay"] = "00:00:00.010",
            ["MediaGateway:Neo4j:MaxRetries"] = "2",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection().AddLogging();
        var client = services.AddNeo4jOntologyStore(configuration);
        if (server is not null) client.ConfigurePrimaryHttpMessageHandler(() => server);
        _services = services.BuildServiceProvider();
    }

    public static string? ServerUri => Environment.GetEnvironmentVariable("NEO4J_URI") is { Length: > 0 } uri ? uri : null;

    /// <summary>Why the real-server runs are skipped, shown in the test output.</summary>
    public const string SkipReason = "NEO4J_URI is not set: the Neo4j contract suite ran against the in-process double only. " +
        "Set NEO4J_URI=http://localhost:7474 NEO4J_PASSWORD=… [NEO4J_USER, NEO4J_DATABASE] to run it against a real server (a scratch database: the tests load their own ontologies).";

    public Neo4jDouble? Double { get; }

    public static Neo4jTestHost ForDouble(Neo4jDouble server, IDictionary<string, string?>? settings = null) =>
        new(server, "http://neo4j.test:7474", server.User, server.Password, server.Database, settings);

    public static Neo4jTestHost ForServer(IDictionary<string, string?>? settings = null) =>
        new(null, ServerUri ?? throw new InvalidOperationException("NEO4J_URI is not set."),
            Environment.GetEnvironmentVariable("NEO4J_USER") is { Length: > 0 } u ? u : "neo4j",
            Environment.GetEnvironmentVariable("NEO4J_PASSWORD"),
            Environment.GetEnvironmentVariable("NEO4J_DATABASE") is { Length: > 0 } d ? d : "neo4j", settings);

    public IOntologyStoreConnector Connector => _services.GetServices<IOntologyStoreConnector>().Single();

    public async Task<Neo4jOntologyStore> OpenAsync(ConceptGraph source, string catalog = "contract", IReadOnlyList<CatalogItem>? items = null) =>
        (Neo4jOntologyStore)await Connector.OpenAsync(source, catalog, items ?? []);

    public Neo4jQueryClient Client => new(_services.GetRequiredService<IHttpClientFactory>().CreateClient(Neo4jRegistration.HttpClientName),
        _services.GetRequiredService<IOptions<Neo4jOptions>>().Value);

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
