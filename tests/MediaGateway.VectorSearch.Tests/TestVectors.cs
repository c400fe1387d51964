using MediaGateway.Engine.VectorSearch;

namespace MediaGateway.VectorSearch.Tests;

/// <summary>Seeded test data and the naive reference every index is checked against.</summary>
internal static class TestVectors
{
    /// <summary>Unit vectors with independent Gaussian components (no structure: the hard case for ties-free checks).</summary>
    public static float[] Random(int rows, int dims, int seed)
    {
        var rng = new Random(seed);
        var m = new float[rows * dims];
        for (var i = 0; i < m.Length; i++) m[i] = Gaussian(rng);
        Normalise(m, dims);
        return m;
    }

    /// <summary>
    /// The benchmark's distribution at test scale: unit vectors around <paramref name="centres"/> random centres
    /// on the sphere, Gaussian noise of total norm ≈ <paramref name="noise"/>, renormalised.
    /// </summary>
    public static float[] Clustered(int rows, int dims, int centres, float noise, int seed, int centreSeed = 1)
    {
        var rng = new Random(seed);
        var c = Random(centres, dims, centreSeed); // same centres for data and queries (same distribution)
        var m = new float[rows * dims];
        var sigma = noise / MathF.Sqrt(dims);
        for (var r = 0; r < rows; r++)
        {
            var centre = rng.Next(centres);
            for (var d = 0; d < dims; d++) m[r * dims + d] = c[centre * dims + d] + sigma * Gaussian(rng);
        }
        Normalise(m, dims);
        return m;
    }

    public static ScoredRow[] Naive(float[] matrix, int dims, ReadOnlySpan<float> query, int k, RowFilter? filter = null)
    {
        var rows = matrix.Length / dims;
        var all = new List<ScoredRow>();
        for (var r = 0; r < rows; r++)
        {
            if (filter is not null && !filter.Contains(r)) continue;
            double s = 0;
            for (var d = 0; d < dims; d++) s += (double)query[d] * matrix[r * dims + d];
            all.Add(new ScoredRow(r, (float)s));
        }
        all.Sort(ScoredRow.CompareBestFirst);
        return all.Take(k).ToArray();
    }

    public static double Recall(ScoredRow[][] found, ScoredRow[][] truth, int k)
    {
        var hits = 0;
        for (var q = 0; q < truth.Length; q++)
            hits += found[q].Take(k).Select(r => r.Row).Intersect(truth[q].Take(k).Select(r => r.Row)).Count();
        return hits / (double)(truth.Length * k);
    }

    private static float Gaussian(Random rng) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));

    private static void Normalise(float[] m, int dims)
    {
        for (var r = 0; r < m.Length / dims; r++)
        {
            var row = m.AsSpan(r * dims, dims);
            var norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot<float>(row, row));
            for (var d = 0; d < dims; d++) row[d] /= norm;
        }
    }
}
