namespace MediaGateway.Engine.VectorStores;

/// <summary>
/// Opens a server-backed vector store for one catalog, checking at start that the server answers and
/// that its collection has the schema and dimension the engine needs. Implemented outside the engine
/// (MediaGateway.VectorStores.Milvus), so the engine itself holds no HTTP code.
/// </summary>
public interface IVectorStoreConnector
{
    VectorStoreKind Kind { get; }

    /// <summary>Connects, creates the collection when it is missing, and fails with a clear message when it does not fit.</summary>
    Task<IVectorStore> OpenAsync(string catalog, int dimension, CancellationToken cancellationToken = default);
}
