using MediaGateway.Engine.Kernels;
using MediaGateway.Engine.VectorSearch.Hnsw;

namespace MediaGateway.Engine.VectorSearch;

/// <summary>Which index the engine builds for a catalog.</summary>
public sealed record VectorIndexOptions
{
    /// <summary>
    /// Catalogs with fewer rows than this are searched exactly; larger ones get an HNSW graph. Below ~50k
    /// rows an exact AVX-512 scan of a 64-query batch takes a few milliseconds and is always right; above it
    /// the scan grows linearly while the graph walk stays near-constant (docs/performance.md).
    /// </summary>
    public int ExactThreshold { get; init; } = 50_000;

    /// <summary>
    /// With a GPU kernel backend, search exactly at any size: a device scans millions of rows per
    /// millisecond, so the graph would only cost recall.
    /// </summary>
    public bool ExactOnGpu { get; init; } = true;

    public HnswOptions Hnsw { get; init; } = new();

    /// <summary>When set, an HNSW index is loaded from this file if it exists and matches, else built and saved there.</summary>
    public string? HnswPath { get; init; }
}

/// <summary>
/// Chooses and builds the index: exact through the kernel backend below the threshold (or on a GPU), HNSW
/// on the CPU above it.
/// </summary>
public static class VectorIndexFactory
{
    public static IVectorIndex Create(IKernelBackend backend, ReadOnlyMemory<float> matrix, int rows, int dimension, VectorIndexOptions? options = null)
    {
        options ??= new VectorIndexOptions();
        var onGpu = backend is not CpuKernelBackend;
        if (rows < options.ExactThreshold || (onGpu && options.ExactOnGpu)) return new ExactVectorIndex(backend, matrix, rows, dimension);
        if (options.HnswPath is { } path && File.Exists(path))
        {
            HnswIndex? loaded = null;
            try
            {
                loaded = HnswIndex.Load(path, options.Hnsw.MaxThreads);
            }
            catch (InvalidDataException)
            {
                // A corrupt file is only a cache: rebuild below and overwrite it.
            }
            // Reused only if it holds exactly these vectors: a file from another catalog would answer wrongly.
            if (loaded is not null && loaded.Dimension == dimension && loaded.Encoding == options.Hnsw.Encoding && loaded.Count == rows && loaded.HoldsExactly(matrix.Span, rows)) return loaded;
            loaded?.Dispose(); // stale: rebuild below
        }
        var built = HnswIndex.Build(matrix.Span, rows, dimension, options.Hnsw);
        if (options.HnswPath is { } savePath) built.Save(savePath);
        return built;
    }
}
