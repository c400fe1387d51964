using MediaGateway.Engine.VectorSearch;
using MediaGateway.Engine.VectorSearch.Hnsw;

namespace MediaGateway.VectorSearch.Tests;

/// <summary>One 20k-vector clustered HNSW index (and its exact answers), built once for the HNSW tests.</summary>
public sealed class HnswFixture : IDisposable
{
    public const int Rows = 20_000, Dims = 128, Queries = 200, K = 10;

    public HnswFixture()
    {
        Matrix = TestVectors.Clustered(Rows, Dims, centres: 200, noise: 0.75f, seed: 11);
        QueryVectors = TestVectors.Clustered(Queries, Dims, centres: 200, noise: 0.75f, seed: 11 + 1000);
        Index = HnswIndex.Build(Matrix, Rows, Dims, new HnswOptions());
        var exact = new ExactVectorIndex(new Engine.Kernels.CpuKernelBackend(), Matrix, Rows, Dims);
        Truth = exact.Search(QueryVectors, Queries, K);
        Directory.CreateDirectory(Folder);
    }

    public float[] Matrix { get; }
    public float[] QueryVectors { get; }
    public HnswIndex Index { get; }
    public ScoredRow[][] Truth { get; }
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "mg-hnsw-tests-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        Index.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
