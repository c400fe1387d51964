using MediaGateway.Engine.Kernels.Cuda;
using MediaGateway.Engine.Ranking;
using MediaGateway.Engine.VectorSearch;

namespace MediaGateway.Engine.Kernels;

/// <summary>
/// Where similarity + top-k runs: the CPU, or a GPU through CUDA. Both give the same answers (up to ties
/// within floating-point tolerance); the runner picks one at start and logs which and why.
/// </summary>
public interface IKernelBackend : IDisposable
{
    /// <summary>"cpu", "cuda:NVIDIA H200 (sm_90)"…</summary>
    string Name { get; }

    /// <summary>Takes the catalog matrix (row-major, unit-length rows) once; a GPU backend uploads it here.</summary>
    void Load(ReadOnlyMemory<float> matrix, int rows, int dimension);

    /// <summary>
    /// For each of <paramref name="queryCount"/> queries (row-major in <paramref name="queries"/>), the
    /// <paramref name="k"/> rows with the highest inner product, best first, ties to the lower row.
    /// <paramref name="filters"/>, when given, has one entry per query (null: all rows allowed); a filtered
    /// query still returns k rows when k rows pass its filter.
    /// </summary>
    ScoredRow[][] TopK(ReadOnlySpan<float> queries, int queryCount, int k, IReadOnlyList<RowFilter?>? filters = null);

    /// <summary>
    /// The ranking score of every candidate (the rank stage), by the one formula written as
    /// <see cref="Scoring"/> in C# and native/include/mg_scoring.h on the GPU; both agree to within an ulp of log10.
    /// </summary>
    float[] Rank(ReadOnlySpan<NativeRerankCandidate> candidates, ScoringWeights weights);
}
