namespace MediaGateway.Engine.VectorStores;

/// <summary>Where the engine keeps and searches vectors (<c>MediaGateway:Engine:VectorStore</c>).</summary>
public enum VectorStoreKind
{
    /// <summary>In the runner's memory: exact scan or HNSW graph (the default).</summary>
    Embedded,

    /// <summary>A Milvus server over its RESTful API v2 (settings under <c>MediaGateway:Milvus</c>).</summary>
    Milvus,
}
