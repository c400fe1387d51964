namespace MediaGateway.Engine.VectorSearch;

/// <summary>Nearest neighbours by inner product (cosine, since all vectors are unit length).</summary>
public interface IVectorIndex
{
    int Count { get; }
    int Dimension { get; }

    /// <summary>Top-k rows per query, best first; see <see cref="Kernels.IKernelBackend.TopK"/> for the contract.</summary>
    ScoredRow[][] Search(ReadOnlySpan<float> queries, int queryCount, int k, IReadOnlyList<RowFilter?>? filters = null);
}
