using System.Runtime.InteropServices;
using MediaGateway.Engine.VectorSearch;

namespace MediaGateway.Gpu.Bench;

/// <summary>Seeded random unit vectors (like MiniLM embeddings), and raw dumps for the PyTorch side.</summary>
internal static class RandomData
{
    /// <summary>rows × dim, each row unit length; rows are generated in parallel, each from its own seed.</summary>
    public static float[] UnitRows(int rows, int dim, int seed)
    {
        var data = new float[(long)rows * dim];
        Parallel.For(0, (rows + 65_535) / 65_536, block =>
        {
            var random = new Random(HashCode.Combine(seed, block));
            var end = Math.Min(rows, (block + 1) * 65_536);
            for (var r = block * 65_536; r < end; r++)
            {
                var row = data.AsSpan(r * dim, dim);
                double norm = 0;
                for (var i = 0; i < dim; i++)
                {
                    // Box–Muller: Gaussian coordinates make directions uniform on the sphere.
                    var g = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
                    row[i] = g;
                    norm += g * g;
                }
                var scale = (float)(1 / Math.Sqrt(norm));
                for (var i = 0; i < dim; i++) row[i] *= scale;
            }
        });
        return data;
    }

    /// <summary>
    /// A catalog of any size as consecutive blocks of at most 2^20 rows (one .NET array holds at most ~2^31
    /// floats: 5.6M rows at d = 384), block b seeded from (seed, b).
    /// </summary>
    public static List<ReadOnlyMemory<float>> UnitRowBlocks(int rows, int dim, int seed)
    {
        const int blockRows = 1 << 20;
        var blocks = new List<ReadOnlyMemory<float>>();
        for (var first = 0; first < rows; first += blockRows)
            blocks.Add(UnitRows(Math.Min(blockRows, rows - first), dim, HashCode.Combine(seed, first / blockRows)));
        return blocks;
    }

    /// <summary>The same values rounded to fp16 and back, as the GPU stores the catalog.</summary>
    public static float[] RoundedToHalf(float[] data)
    {
        var result = new float[data.Length];
        Parallel.For(0, (data.Length + 1_048_575) / 1_048_576, block =>
        {
            var end = Math.Min(data.Length, (block + 1) * 1_048_576);
            for (var i = block * 1_048_576; i < end; i++) result[i] = (float)(Half)data[i];
        });
        return result;
    }

    /// <summary>Raw little-endian fp16, row-major, for numpy.fromfile(dtype=float16); blocks are written one after another.</summary>
    public static void WriteHalf(string path, IEnumerable<ReadOnlyMemory<float>> blocks)
    {
        using var file = File.Create(path);
        var buffer = new Half[1 << 20];
        foreach (var block in blocks)
            for (var start = 0; start < block.Length; start += buffer.Length)
            {
                var n = Math.Min(buffer.Length, block.Length - start);
                var source = block.Span.Slice(start, n);
                for (var i = 0; i < n; i++) buffer[i] = (Half)source[i];
                file.Write(MemoryMarshal.AsBytes(buffer.AsSpan(0, n)));
            }
    }

    /// <summary>Top-k results as raw little-endian int32 row ids (PREFIX.ids) and float32 scores (PREFIX.scores), queries × k.</summary>
    public static void WriteResults(string prefix, ScoredRow[][] results)
    {
        using var ids = new BinaryWriter(File.Create(prefix + ".ids"));
        using var scores = new BinaryWriter(File.Create(prefix + ".scores"));
        foreach (var query in results)
            foreach (var row in query)
            {
                ids.Write(row.Row);
                scores.Write(row.Score);
            }
    }
}
