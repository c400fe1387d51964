using MediaGateway.Engine.VectorSearch;
using MediaGateway.Engine.VectorSearch.Hnsw;

namespace MediaGateway.VectorSearch.Tests;

public class HnswTests(HnswFixture f) : IClassFixture<HnswFixture>
{
    [Fact]
    public void Recall_at_10_is_at_least_095_at_the_default_efSearch()
    {
        Assert.Equal(new HnswOptions().EfSearch, f.Index.EfSearch);
        var recall = TestVectors.Recall(f.Index.Search(f.QueryVectors, HnswFixture.Queries, HnswFixture.K), f.Truth, HnswFixture.K);
        Assert.True(recall >= 0.95, $"recall@10 = {recall:F4}");
    }

    [Fact]
    public void Single_queries_and_batches_agree()
    {
        var batch = f.Index.Search(f.QueryVectors.AsSpan(0, 16 * HnswFixture.Dims), 16, HnswFixture.K);
        for (var q = 0; q < 16; q++)
            Assert.Equal(batch[q], f.Index.Search(f.QueryVectors.AsSpan(q * HnswFixture.Dims, HnswFixture.Dims), 1, HnswFixture.K)[0]);
    }

    [Theory]
    [InlineData(2)]   // 50% of rows: the graph walk
    [InlineData(40)]  // 2.5%: still the walk, which has to widen its beam
    [InlineData(500)] // 0.2%: the exact scan of the allowed rows
    public void Filtered_search_returns_k_allowed_rows(int modulus)
    {
        var filter = RowFilter.FromPredicate(HnswFixture.Rows, r => r % modulus == 1);
        var results = f.Index.Search(f.QueryVectors.AsSpan(0, 20 * HnswFixture.Dims), 20, HnswFixture.K, Enumerable.Repeat<RowFilter?>(filter, 20).ToArray());
        var truth = new ScoredRow[20][];
        for (var q = 0; q < 20; q++)
        {
            Assert.Equal(HnswFixture.K, results[q].Length);
            Assert.All(results[q], r => Assert.Equal(1, r.Row % modulus));
            truth[q] = TestVectors.Naive(f.Matrix, HnswFixture.Dims, f.QueryVectors.AsSpan(q * HnswFixture.Dims, HnswFixture.Dims), HnswFixture.K, filter);
        }
        Assert.True(TestVectors.Recall(results, truth, HnswFixture.K) >= 0.9);
    }

    [Fact]
    public void Save_then_load_gives_identical_results()
    {
        var path = Path.Combine(f.Folder, "roundtrip.hnsw");
        f.Index.Save(path);
        using var loaded = HnswIndex.Load(path);
        Assert.Equal(f.Index.Count, loaded.Count);
        Assert.Equal(f.Index.EfSearch, loaded.EfSearch);
        var before = f.Index.Search(f.QueryVectors.AsSpan(0, 50 * HnswFixture.Dims), 50, HnswFixture.K);
        var after = loaded.Search(f.QueryVectors.AsSpan(0, 50 * HnswFixture.Dims), 50, HnswFixture.K);
        for (var q = 0; q < 50; q++) Assert.Equal(before[q], after[q]);
    }

    [Theory]
    [InlineData(0.5)]     // inside the vectors
    [InlineData(0.97)]    // inside the links
    [InlineData(20.0 / 1e9)] // inside the header (byte 20: M)
    public void A_flipped_byte_is_rejected_with_the_file_named(double where)
    {
        var path = Path.Combine(f.Folder, $"flipped-{where}.hnsw");
        f.Index.Save(path);
        var bytes = File.ReadAllBytes(path);
        var at = Math.Max(20, (int)(bytes.Length * where));
        bytes[at] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => HnswIndex.Load(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void A_truncated_file_is_rejected_as_truncated()
    {
        var path = Path.Combine(f.Folder, "truncated.hnsw");
        f.Index.Save(path);
        using (var s = new FileStream(path, FileMode.Open)) s.SetLength(s.Length - 1000);
        var e = Assert.Throws<InvalidDataException>(() => HnswIndex.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);
        File.WriteAllBytes(path, "not an index"u8.ToArray());
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => HnswIndex.Load(path)).Message);
    }

    [Fact]
    public void Upserted_rows_are_found_and_deleted_rows_never_return()
    {
        const int dims = 64, rows = 3_000;
        var matrix = TestVectors.Clustered(rows, dims, centres: 20, noise: 0.75f, seed: 21);
        using var index = HnswIndex.Build(matrix, rows, dims, new HnswOptions { M = 8, EfConstruction = 64 });
        var query = matrix.AsSpan(10 * dims, dims).ToArray();
        Assert.Equal(10, index.Search(query, 1, 1)[0][0].Row);

        Assert.True(index.Delete(10));
        Assert.False(index.Delete(10));
        Assert.DoesNotContain(index.Search(query, 1, 50)[0], r => r.Row == 10);
        Assert.Equal(rows - 1, index.Count);

        // Move row 20 onto row 10's old vector, and add a new row 5,000 elsewhere.
        var extra = TestVectors.Random(1, dims, seed: 22);
        index.Upsert([20, 5_000], query.Concat(extra).ToArray());
        Assert.Equal(20, index.Search(query, 1, 1)[0][0].Row);
        Assert.Equal(5_000, index.Search(extra, 1, 1)[0][0].Row);
        Assert.Equal(rows, index.Count);
        Assert.Single(index.Search(query, 1, rows)[0], r => r.Row == 20);

        // Everything survives a save/load, tombstones included.
        var path = Path.Combine(f.Folder, "mutated.hnsw");
        index.Save(path);
        using var loaded = HnswIndex.Load(path);
        Assert.Equal(index.Count, loaded.Count);
        Assert.Equal(index.Search(query, 1, 20)[0], loaded.Search(query, 1, 20)[0]);
    }

    [Fact]
    public void The_factory_picks_exact_below_the_threshold_and_hnsw_above()
    {
        var small = VectorIndexFactory.Create(new Engine.Kernels.CpuKernelBackend(), f.Matrix.AsMemory(0, 1_000 * HnswFixture.Dims), 1_000, HnswFixture.Dims);
        Assert.IsType<ExactVectorIndex>(small);
        var options = new VectorIndexOptions { ExactThreshold = 500, Hnsw = new HnswOptions { M = 8, EfConstruction = 32 } };
        var large = VectorIndexFactory.Create(new Engine.Kernels.CpuKernelBackend(), f.Matrix.AsMemory(0, 1_000 * HnswFixture.Dims), 1_000, HnswFixture.Dims, options);
        Assert.IsType<HnswIndex>(large);

        // A saved graph is reused for the same vectors and rebuilt for different ones.
        var path = Path.Combine(f.Folder, "factory.hnsw");
        var saving = options with { HnswPath = path };
        using var first = (HnswIndex)VectorIndexFactory.Create(new Engine.Kernels.CpuKernelBackend(), f.Matrix.AsMemory(0, 1_000 * HnswFixture.Dims), 1_000, HnswFixture.Dims, saving);
        Assert.True(File.Exists(path));
        using var reused = (HnswIndex)VectorIndexFactory.Create(new Engine.Kernels.CpuKernelBackend(), f.Matrix.AsMemory(0, 1_000 * HnswFixture.Dims), 1_000, HnswFixture.Dims, saving);
        Assert.True(reused.HoldsExactly(f.Matrix.AsSpan(0, 1_000 * HnswFixture.Dims), 1_000));
        var other = f.Matrix.AsMemory(1_000 * HnswFixture.Dims, 1_000 * HnswFixture.Dims);
        using var rebuilt = (HnswIndex)VectorIndexFactory.Create(new Engine.Kernels.CpuKernelBackend(), other, 1_000, HnswFixture.Dims, saving);
        Assert.True(rebuilt.HoldsExactly(other.Span, 1_000));
    }
}
