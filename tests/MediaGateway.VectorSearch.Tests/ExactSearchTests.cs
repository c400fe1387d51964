using MediaGateway.Engine.Kernels;
using MediaGateway.Engine.VectorSearch;
using MediaGateway.Engine.VectorSearch.Exact;

namespace MediaGateway.VectorSearch.Tests;

public class ExactSearchTests
{
    // 2,003 rows: not a multiple of the 32-row tile or the 256-row block, so the padding paths run.
    private const int Rows = 2_003;

    [Theory]
    [InlineData(1, 384, 1)]
    [InlineData(10, 384, 1)]
    [InlineData(Rows, 384, 1)]
    [InlineData(1, 384, 13)]  // one full group of 8, a padded group of 4, and…
    [InlineData(10, 384, 9)]  // …a group holding a single query (the one-query kernel)
    [InlineData(Rows, 384, 5)]
    [InlineData(10, 37, 3)]   // a dimension that is not a multiple of anything
    [InlineData(5_000, 384, 2)] // k > N: all N rows
    public void TopK_equals_the_naive_reference(int k, int dims, int queries)
    {
        var matrix = TestVectors.Random(Rows, dims, seed: 1);
        var q = TestVectors.Random(queries, dims, seed: 2);
        using var backend = new CpuKernelBackend();
        backend.Load(matrix, Rows, dims);
        var results = backend.TopK(q, queries, k);
        Assert.Equal(queries, results.Length);
        for (var i = 0; i < queries; i++)
        {
            var expected = TestVectors.Naive(matrix, dims, q.AsSpan(i * dims, dims), k);
            AssertSameRanking(expected, results[i]);
        }
    }

    [Theory]
    [InlineData(VectorStorage.Float32)]
    [InlineData(VectorStorage.Int8)]
    public void A_query_gets_bit_identical_scores_alone_and_in_a_batch(VectorStorage storage)
    {
        // The one-query kernel and the group kernel sum each row's products in the same order, so a request's
        // scores (and its rounded scores and ties) do not depend on which requests shared its batch.
        const int dims = 384;
        var matrix = TestVectors.Random(Rows, dims, seed: 7);
        var queries = TestVectors.Random(11, dims, seed: 8);
        using var backend = new CpuKernelBackend(storage);
        backend.Load(matrix, Rows, dims);
        var batch = backend.TopK(queries, 11, 50);
        for (var i = 0; i < 11; i++)
        {
            var alone = backend.TopK(queries.AsSpan(i * dims, dims).ToArray(), 1, 50)[0];
            Assert.Equal(alone.Select(r => (r.Row, r.Score)), batch[i].Select(r => (r.Row, r.Score)));
        }
    }

    [Fact]
    public void Large_batches_split_across_threads_give_the_reference_answer()
    {
        const int rows = 40_000, dims = 384, queries = 17;
        var matrix = TestVectors.Random(rows, dims, seed: 3);
        var q = TestVectors.Random(queries, dims, seed: 4);
        using var backend = new CpuKernelBackend(maxThreads: 4);
        backend.Load(matrix, rows, dims);
        var results = backend.TopK(q, queries, 10);
        for (var i = 0; i < queries; i++) AssertSameRanking(TestVectors.Naive(matrix, dims, q.AsSpan(i * dims, dims), 10), results[i]);
    }

    [Fact]
    public void Equal_scores_are_ordered_by_row_whatever_the_thread_split()
    {
        const int rows = 40_000, dims = 384;
        var matrix = TestVectors.Random(rows, dims, seed: 5);
        // Five copies of one vector, spread over different blocks (and so different threads).
        int[] copies = [39_999, 7, 20_000, 1_024, 33_333];
        foreach (var r in copies) Array.Copy(matrix, 0, matrix, r * dims, dims);
        var query = matrix.AsSpan(0, dims).ToArray();
        using var backend = new CpuKernelBackend(maxThreads: 4);
        backend.Load(matrix, rows, dims);
        // Single query and a batch (different kernels) must agree on the order.
        var batch = Enumerable.Repeat(query, 9).SelectMany(x => x).ToArray();
        foreach (var result in backend.TopK(query, 1, 6).Concat(backend.TopK(batch, 9, 6)))
        {
            Assert.Equal([0, 7, 1_024, 20_000, 33_333, 39_999], result.Select(r => r.Row).ToArray());
            Assert.All(result, r => Assert.Equal(result[0].Score, r.Score));
        }
    }

    [Fact]
    public void Filtered_search_returns_k_allowed_rows_when_k_match()
    {
        const int dims = 384;
        var matrix = TestVectors.Random(Rows, dims, seed: 6);
        var q = TestVectors.Random(3, dims, seed: 7);
        using var backend = new CpuKernelBackend();
        backend.Load(matrix, Rows, dims);
        var sparse = RowFilter.FromPredicate(Rows, r => r % 97 == 3);           // 21 rows
        var dense = RowFilter.FromPredicate(Rows, r => r % 3 != 0);
        var results = backend.TopK(q, 3, 10, [sparse, null, dense]);
        Assert.Equal(10, results[0].Length);
        Assert.All(results[0], r => Assert.Equal(3, r.Row % 97));
        AssertSameRanking(TestVectors.Naive(matrix, dims, q.AsSpan(0, dims), 10, sparse), results[0]);
        AssertSameRanking(TestVectors.Naive(matrix, dims, q.AsSpan(dims, dims), 10), results[1]);
        AssertSameRanking(TestVectors.Naive(matrix, dims, q.AsSpan(2 * dims, dims), 10, dense), results[2]);
        // Fewer matches than k: all of them, no padding.
        var few = RowFilter.FromPredicate(Rows, r => r is 5 or 2_000);
        Assert.Equal([5, 2_000], backend.TopK(q.AsSpan(0, dims), 1, 10, [few])[0].Select(r => r.Row).Order().ToArray());
    }

    [Fact]
    public void Int8_storage_keeps_recall_high_on_clustered_vectors()
    {
        const int rows = 20_000, dims = 384, queries = 64;
        var matrix = TestVectors.Clustered(rows, dims, centres: 100, noise: 0.75f, seed: 8);
        var q = TestVectors.Clustered(queries, dims, centres: 100, noise: 0.75f, seed: 8 + 1000);
        using var exact = new CpuKernelBackend();
        using var int8 = new CpuKernelBackend(VectorStorage.Int8);
        exact.Load(matrix, rows, dims);
        int8.Load(matrix, rows, dims);
        Assert.Equal(exact.MemoryBytes, 4 * int8.MemoryBytes); // a quarter of the bytes to stream
        var recall = TestVectors.Recall(int8.TopK(q, queries, 10), exact.TopK(q, queries, 10), 10);
        Assert.True(recall >= 0.90, $"int8 recall@10 {recall:F3}");
    }

    [Fact]
    public void Empty_matrix_and_no_queries_are_handled()
    {
        using var backend = new CpuKernelBackend();
        backend.Load(Array.Empty<float>(), 0, 8);
        Assert.Empty(backend.TopK(new float[8], 1, 5)[0]);
        Assert.Empty(backend.TopK([], 0, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => backend.TopK(new float[8], 1, 0));
    }

    /// <summary>Same scores position by position (within fp32 rounding); rows equal except where scores tie within rounding.</summary>
    private static void AssertSameRanking(ScoredRow[] expected, ScoredRow[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        Assert.Equal(actual.Length, actual.Select(r => r.Row).Distinct().Count());
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i].Score - actual[i].Score) < 1e-4, $"position {i}: expected {expected[i]}, got {actual[i]}");
            if (expected[i].Row != actual[i].Row)
                Assert.True(Math.Abs(expected[i].Score - actual[i].Score) < 1e-5 && expected.Any(e => e.Row == actual[i].Row),
                    $"position {i}: expected {expected[i]}, got {actual[i]}");
        }
        for (var i = 1; i < actual.Length; i++) Assert.True(ScoredRow.CompareBestFirst(actual[i - 1], actual[i]) < 0, "not best-first");
    }
}
