namespace MediaGateway.Engine.VectorSearch;

/// <summary>Nearest neighbours by inner product (cosine, since all vectors are unit length).</summary>
public interface IVectorIndex
{
    int Count { get; }
    int Dimension { get; }

    /// <summary>Top-k rows per query, best first; see <see cref="Kernels.IKernelBackend.TopK"/> for the contract.</summary>
    ScoredRow[][] Search(ReadOnlySpan<float> queries, int queryCount, int k, IReadOnlyList<RowFilter?>? filters = null);
}

/// <summary>Exact search: every (allowed) row is scored by the kernel backend. Correct for any k ≤ N.</summary>
public sealed class ExactVectorIndex : IVectorIndex
{
    private readonly Kernels.IKernelBackend _backend;

    public ExactVectorIndex(Kernels.IKernelBackend backend, float[] matrix, int rows, int dimension)
    {
        _backend = backend;
        (Count, Dimension) = (rows, dimension);
        backend.Load(matrix, rows, dimension);
    }

    public int Count { get; }
    public int Dimension { get; }

    public ScoredRow[][] Search(ReadOnlySpan<float> queries, int queryCount, int k, IReadOnlyList<RowFilter?>? filters = null) =>
        _backend.TopK(queries, queryCount, k, filters);
}
