namespace MediaGateway.Engine.VectorStores;

/// <summary>
/// Where one catalog's vectors live and are searched: in this process (<see cref="EmbeddedVectorStore"/>) or
/// in a server such as Milvus. Matches are catalog ids, not rows, so a remote store needs no shared row
/// numbering. Filters are typed (<see cref="VectorFilter"/>); each store translates them itself.
/// </summary>
public interface IVectorStore
{
    /// <summary>"embedded" or "milvus": which store answers, for logs and health.</summary>
    string Kind { get; }

    /// <summary>How the store searches: "exact", "hnsw", "milvus HNSW"…</summary>
    string IndexKind { get; }

    int Dimension { get; }

    /// <summary>Adds or replaces records by id (batched by the store as it needs).</summary>
    Task UpsertAsync(IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Removes records by id; unknown ids are ignored.</summary>
    Task DeleteAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default);

    /// <summary>
    /// For each of <paramref name="queryCount"/> unit-length queries (row-major), the <paramref name="k"/>
    /// nearest records by inner product, best first. <paramref name="filters"/>, when given, has one entry
    /// per query (null: everything allowed).
    /// </summary>
    Task<VectorMatch[][]> SearchAsync(ReadOnlyMemory<float> queries, int queryCount, int k,
        IReadOnlyList<VectorFilter?>? filters = null, CancellationToken cancellationToken = default);

    /// <summary>How many records the filter allows (all of them when null).</summary>
    Task<long> CountAsync(VectorFilter? filter = null, CancellationToken cancellationToken = default);

    /// <summary>Whether the store answers now, and how fast; never throws.</summary>
    Task<DependencyCheck> CheckAsync(CancellationToken cancellationToken = default);
}
