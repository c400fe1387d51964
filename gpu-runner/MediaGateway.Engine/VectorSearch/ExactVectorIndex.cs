namespace MediaGateway.Engine.VectorSearch;

/// <summary>Exact search: every (allowed) row is scored by the kernel backend. Correct for any k ≤ N.</summary>
public sealed class ExactVectorIndex : IVectorIndex
{
    private readonly Kernels.IKernelBackend _backend;

    public ExactVectorIndex(Kernels.IKernelBackend backend, ReadOnlyMemory<float> matrix, int rows, int dimension)
    {
        _backend = backend;
        (Count, Dimension) = (rows, dimension);
        backend.Load(matrix, rows, dimension);
    }

    public int Count { get; }
    public int Dimension { get; }

    public Kernels.IKernelBackend Backend => _backend;

    public ScoredRow[][] Search(ReadOnlySpan<float> queries, int queryCount, int k, IReadOnlyList<RowFilter?>? filters = null) =>
        _backend.TopK(queries, queryCount, k, filters);
}
