namespace MediaGateway.OntologyStores.Neo4j;

/// <summary>
/// Settings of the Neo4j ontology store, bound from <c>MediaGateway:Neo4j</c> (the names the Bicep passes:
/// <c>MediaGateway__Neo4j__Endpoint</c>, <c>MediaGateway__Neo4j__User</c>, and <c>MediaGateway__Neo4j__Password</c>
/// as a secret). Used when <c>MediaGateway:Engine:OntologyStore</c> is <c>Neo4j</c>.
/// </summary>
public sealed class Neo4jOptions
{
    public const string Section = "MediaGateway:Neo4j";

    /// <summary>
    /// The server's HTTP address, where the Query API lives: <c>http://localhost:7474</c>, <c>https://host:7473</c>.
    /// An Aura-style <c>neo4j+s://host</c> is read as <c>https://host</c> (Aura serves the Query API there).
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>Basic-auth user; empty when the server has authentication off.</summary>
    public string? User { get; set; }

    /// <summary>Basic-auth password. Keep it in a secret (a container app secret in Azure, <c>NEO4J_AUTH</c> in compose).</summary>
    public string? Password { get; set; }

    /// <summary>The database the graph lives in (Community edition has one: <c>neo4j</c>).</summary>
    public string Database { get; set; } = "neo4j";

    /// <summary>Rows per write request when loading concepts, edges and catalog items (UNWIND $rows).</summary>
    public int WriteBatchSize { get; set; } = 500;

    /// <summary>Concept ids per read request; a search batch asks for far fewer.</summary>
    public int MaxIdsPerRequest { get; set; } = 1_000;

    /// <summary>Expansions kept between batches (each concept once per depth), so repeated concepts cost no round trip.</summary>
    public int ExpansionCacheEntries { get; set; } = 4_096;

    /// <summary>How long a kept expansion is trusted: edits made in Neo4j directly show up after this.</summary>
    public TimeSpan ExpansionCacheTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest response body read (a bound on memory whatever the server sends).</summary>
    public int MaxResponseBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Time for one attempt of one request.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of a failed request (transient HTTP errors, timeouts), with exponential back-off.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry's delay; later ones grow exponentially (with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);
}
