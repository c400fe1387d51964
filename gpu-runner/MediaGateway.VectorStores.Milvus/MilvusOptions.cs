namespace MediaGateway.VectorStores.Milvus;

/// <summary>
/// Settings of the Milvus vector store, bound from <c>MediaGateway:Milvus</c> (the names the Bicep already
/// passes: <c>MediaGateway__Milvus__Endpoint</c>, and <c>MediaGateway__Milvus__Token</c> as a secret).
/// Used when <c>MediaGateway:Engine:VectorStore</c> is <c>Milvus</c>.
/// </summary>
public sealed class MilvusOptions
{
    public const string Section = "MediaGateway:Milvus";

    /// <summary>The server's REST address, e.g. <c>http://localhost:19530</c> (Milvus serves REST v2 on its gRPC port).</summary>
    public string? Endpoint { get; set; }

    /// <summary>"user:password" or an API key, sent as a bearer token; empty when the server has no authentication. Keep it in a secret.</summary>
    public string? Token { get; set; }

    public string Database { get; set; } = "default";

    /// <summary>One collection holds every catalog; each catalog is a partition-key value.</summary>
    public string Collection { get; set; } = "media_items";

    /// <summary>Create the collection (schema, index, partitions) at start when it is missing.</summary>
    public bool CreateCollection { get; set; } = true;

    /// <summary><c>HNSW</c> for CPU deployments, <c>GPU_CAGRA</c> where the Milvus deployment has GPUs, or any index Milvus knows.</summary>
    public string IndexType { get; set; } = "HNSW";

    /// <summary>Build parameters; when empty, the defaults for <see cref="IndexType"/> (HNSW: M 16, efConstruction 200; GPU_CAGRA: graph degrees 64/32).</summary>
    public Dictionary<string, string> IndexParams { get; set; } = [];

    /// <summary>Search parameters; when empty, the defaults for <see cref="IndexType"/> (HNSW: ef 128; GPU_CAGRA: itopk_size 128), raised to k where they must be ≥ k.</summary>
    public Dictionary<string, string> SearchParams { get; set; } = [];

    /// <summary><c>Strong</c>, <c>Bounded</c> (the default: reads may lag writes by a few seconds), <c>Session</c> or <c>Eventually</c>.</summary>
    public string ConsistencyLevel { get; set; } = "Bounded";

    /// <summary>Partitions the partition key hashes catalogs into (Milvus's default is 16).</summary>
    public int PartitionCount { get; set; } = 16;

    /// <summary>Records per upsert request (Milvus caps a request's size; 500 × 384 floats is ~1 MB of JSON).</summary>
    public int UpsertBatchSize { get; set; } = 500;

    /// <summary>Ids per delete request.</summary>
    public int DeleteBatchSize { get; set; } = 1_000;

    /// <summary>Time for one attempt of one request.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries of a failed request (transient HTTP errors, timeouts), with exponential back-off.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry's delay; later ones grow exponentially (with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);
}
