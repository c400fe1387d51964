using MediaGateway.Engine.Kernels;
using MediaGateway.Engine.VectorSearch;

namespace MediaGateway.Tests.Engine;

public sealed class TopKTests
{
    private const int Rows = 5000, Dim = 48;

    private static float[] RandomMatrix(int rows, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows * Dim).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    private static double Dot(float[] matrix, int row, float[] query) => Enumerable.Range(0, Dim).Sum(i => (double)matrix[row * Dim + i] * query[i]);

    /// <summary>The reference: every allowed row scored in double precision, fully sorted.</summary>
    private static ScoredRow[] Naive(float[] matrix, float[] query, int k, Func<int, bool>? allowed = null) =>
        Enumerable.Range(0, matrix.Length / Dim).Where(r => allowed?.Invoke(r) ?? true)
            .Select(r => new ScoredRow(r, (float)Dot(matrix, r, query)))
            .Order(Comparer<ScoredRow>.Create(ScoredRow.CompareBestFirst)).Take(k).ToArray();

    /// <summary>
    /// Same rows in the same order, except that two rows whose exact scores differ by less than float
    /// rounding may trade places (SIMD sums in another order than the reference).
    /// </summary>
    private static void AssertSameRanking(ScoredRow[] expected, ScoredRow[] actual, float[] matrix, float[] query)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i].Row == actual[i].Row) continue;
            Assert.True(Math.Abs(Dot(matrix, expected[i].Row, query) - Dot(matrix, actual[i].Row, query)) < 1e-5,
                $"Position {i}: expected row {expected[i].Row}, got {actual[i].Row}, and they are not tied.");
        }
        if (expected.Length == matrix.Length / Dim) Assert.Equal(expected.Select(e => e.Row).Order(), actual.Select(a => a.Row).Order());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(Rows)]
    public void Exact_top_k_equals_a_naive_reference(int k)
    {
        var matrix = RandomMatrix(Rows, 1);
        var queries = RandomMatrix(3, 2);
        using var backend = new CpuKernelBackend();
        backend.Load(matrix, Rows, Dim);

        var results = backend.TopK(queries, 3, k);

        for (var q = 0; q < 3; q++)
        {
            var query = queries[(q * Dim)..((q + 1) * Dim)];
            var expected = Naive(matrix, query, k);
            AssertSameRanking(expected, results[q], matrix, query);
            Assert.All(expected.Zip(results[q]), p => Assert.InRange(p.Second.Score - p.First.Score, -1e-4f, 1e-4f));
        }
    }

    [Fact]
    public void Equal_scores_are_ordered_by_row()
    {
        var matrix = new float[10 * Dim];
        for (var r = 0; r < 10; r++) matrix[r * Dim] = r % 2 == 0 ? 1f : 0.5f;
        var query = new float[Dim];
        query[0] = 1f;
        using var backend = new CpuKernelBackend();
        backend.Load(matrix, 10, Dim);

        var result = backend.TopK(query, 1, 7)[0];

        Assert.Equal([0, 2, 4, 6, 8, 1, 3], result.Select(r => r.Row));
    }

    [Fact]
    public void A_filtered_search_returns_k_results_when_k_rows_pass_the_filter()
    {
        var matrix = RandomMatrix(Rows, 3);
        var query = RandomMatrix(1, 4);
        var filter = RowFilter.FromPredicate(Rows, r => r % 97 == 0); // 52 rows pass
        using var backend = new CpuKernelBackend();
        backend.Load(matrix, Rows, Dim);

        var result = backend.TopK(query, 1, 50, [filter])[0];

        Assert.Equal(50, result.Length);
        Assert.All(result, r => Assert.Equal(0, r.Row % 97));
        AssertSameRanking(Naive(matrix, query, 50, r => r % 97 == 0), result, matrix, query);
    }

    [Fact]
    public void K_larger_than_the_allowed_rows_returns_all_of_them()
    {
        var matrix = RandomMatrix(100, 5);
        using var backend = new CpuKernelBackend();
        backend.Load(matrix, 100, Dim);

        var result = backend.TopK(RandomMatrix(1, 6), 1, 10, [RowFilter.FromPredicate(100, r => r < 3)])[0];

        Assert.Equal([0, 1, 2], result.Select(r => r.Row).Order());
    }
}
