using MediaGateway.Engine.Kernels.Cuda;
using MediaGateway.Engine.Ranking;
using MediaGateway.Engine.VectorSearch;
using MediaGateway.Engine.VectorSearch.Exact;

namespace MediaGateway.Engine.Kernels;

/// <summary>
/// Exact inner-product top-k on the CPU: the matrix is repacked once into 16-row panels
/// (<see cref="PanelMatrix"/>) and each batch is scanned block-wise by register-blocked AVX-512 kernels
/// with the k-selection and filters fused into the scan (<see cref="ExactScanner"/>).
/// </summary>
public sealed class CpuKernelBackend(VectorStorage storage = VectorStorage.Float32, int maxThreads = 0) : IKernelBackend
{
    private ExactScanner? _scanner;

    public string Name => storage == VectorStorage.Float32 ? "cpu" : "cpu-int8";

    public VectorStorage Storage => storage;

    /// <summary>Bytes held by the packed vectors (the caller's matrix is not kept).</summary>
    public long MemoryBytes => _scanner?.Matrix.Bytes ?? 0;

    public void Load(ReadOnlyMemory<float> matrix, int rows, int dimension)
    {
        if ((long)matrix.Length != (long)rows * dimension)
            throw new ArgumentException($"Matrix has {matrix.Length} floats, expected {rows} × {dimension}.", nameof(matrix));
        _scanner = new ExactScanner(PanelMatrix.FromRowMajor(matrix.Span, rows, dimension, storage), maxThreads);
    }

    public ScoredRow[][] TopK(ReadOnlySpan<float> queries, int queryCount, int k, IReadOnlyList<RowFilter?>? filters = null)
    {
        var scanner = _scanner ?? throw new InvalidOperationException("Load the matrix before searching.");
        return scanner.Search(queries, queryCount, k, filters);
    }

    public float[] Rank(ReadOnlySpan<NativeRerankCandidate> candidates, ScoringWeights weights)
    {
        var scores = new float[candidates.Length];
        for (var i = 0; i < candidates.Length; i++)
        {
            var c = candidates[i];
            scores[i] = Scoring.Combine(weights, c.Similarity, c.OntologyMatch, Scoring.QualityPrior(c.ImdbRating, c.ImdbVotes), c.Personalization);
        }
        return scores;
    }

    public void Dispose() => _scanner = null;
}
