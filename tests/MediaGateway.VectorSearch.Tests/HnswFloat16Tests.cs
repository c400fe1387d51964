using System.Buffers.Binary;
using System.IO.Hashing;
using MediaGateway.Engine.VectorSearch;
using MediaGateway.Engine.VectorSearch.Hnsw;

namespace MediaGateway.VectorSearch.Tests;

/// <summary>Float16 vector storage: scores, recall against float32 on the same data, and the file format.</summary>
public class HnswFloat16Tests(HnswFixture f) : IClassFixture<HnswFixture>
{
    private static readonly HnswOptions Half16 = new() { Encoding = HnswVectorEncoding.Float16 };

    [Fact]
    public void Recall_matches_float32_on_the_same_data()
    {
        using var half = HnswIndex.Build(f.Matrix, HnswFixture.Rows, HnswFixture.Dims, Half16);
        Assert.Equal(HnswVectorEncoding.Float16, half.Encoding);
        var recall16 = TestVectors.Recall(half.Search(f.QueryVectors, HnswFixture.Queries, HnswFixture.K), f.Truth, HnswFixture.K);
        var recall32 = TestVectors.Recall(f.Index.Search(f.QueryVectors, HnswFixture.Queries, HnswFixture.K), f.Truth, HnswFixture.K);
        Assert.True(recall16 >= 0.95 && recall16 >= recall32 - 0.01, $"recall@10 float16 {recall16:F4}, float32 {recall32:F4}");
        // Half the vector bytes: 128-d nodes go from 512 + 132 bytes (11 lines) to 256 + 132 (7 lines).
        Assert.True(half.MemoryBytes < 0.7 * f.Index.MemoryBytes, $"{half.MemoryBytes} vs {f.Index.MemoryBytes} bytes");
    }

    [Fact]
    public void Scores_are_the_inner_products_with_the_rounded_halves_including_subnormals_and_zeros()
    {
        // Components spanning binary16's normal range, its subnormals (below 2^-14 ≈ 6.1e-5), values that
        // round to ±0 (below 2^-25), exact zeros and both signs; then normalised like every catalog vector.
        const int dims = 128, rows = 64;
        var rng = new Random(5);
        var m = new float[rows * dims];
        for (var i = 0; i < m.Length; i++)
        {
            var magnitude = (i % 4) switch { 0 => rng.NextSingle(), 1 => rng.NextSingle() * 6e-5f, 2 => rng.NextSingle() * 2e-8f, _ => 0f };
            m[i] = rng.Next(2) == 0 ? -magnitude : magnitude;
        }
        for (var r = 0; r < rows; r++)
        {
            var row = m.AsSpan(r * dims, dims);
            var norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot(row, row));
            for (var d = 0; d < dims; d++) row[d] /= norm;
        }
        Assert.Contains(m, x => x != 0 && Math.Abs(x) < 6.1e-5f && (float)(Half)x != 0); // subnormal halves occur
        using var index = HnswIndex.Build(m, rows, dims, Half16 with { EfSearch = rows });
        var query = m.AsSpan(0, dims).ToArray();
        query[1] = -0.5f; // any float32 query
        foreach (var hit in index.Search(query, 1, rows)[0])
        {
            double expected = 0;
            for (var d = 0; d < dims; d++) expected += query[d] * (double)(float)(Half)m[hit.Row * dims + d];
            Assert.Equal(expected, hit.Score, 4);
        }
        Assert.Equal(rows, index.Search(query, 1, rows)[0].Length);
    }

    [Fact]
    public void Vectors_that_float16_cannot_hold_are_rejected_naming_the_row()
    {
        using var index = HnswIndex.Create(4, Half16);
        var e = Assert.Throws<ArgumentException>(() => index.Upsert([7], [0.5f, float.NaN, 0.5f, 0.5f]));
        Assert.Contains("Row 7", e.Message);
        Assert.Throws<ArgumentException>(() => index.Upsert([8], [1e6f, 0, 0, 0]));
    }

    [Fact]
    public void A_float16_index_saves_and_loads_with_its_encoding_and_identical_results()
    {
        using var half = HnswIndex.Build(f.Matrix.AsSpan(0, 2_000 * HnswFixture.Dims), 2_000, HnswFixture.Dims, Half16);
        var path16 = Path.Combine(f.Folder, "half.hnsw");
        var path32 = Path.Combine(f.Folder, "single-for-size.hnsw");
        half.Save(path16);
        using (var single = HnswIndex.Build(f.Matrix.AsSpan(0, 2_000 * HnswFixture.Dims), 2_000, HnswFixture.Dims)) single.Save(path32);
        // 2 bytes fewer per component (the two graphs' upper layers may differ by a few links).
        Assert.InRange(new FileInfo(path32).Length - new FileInfo(path16).Length, 2_000L * HnswFixture.Dims * 2 - 20_000, 2_000L * HnswFixture.Dims * 2 + 20_000);
        using var loaded = HnswIndex.Load(path16);
        Assert.Equal(HnswVectorEncoding.Float16, loaded.Encoding);
        Assert.True(loaded.HoldsExactly(f.Matrix.AsSpan(0, 2_000 * HnswFixture.Dims), 2_000));
        var before = half.Search(f.QueryVectors.AsSpan(0, 20 * HnswFixture.Dims), 20, HnswFixture.K);
        var after = loaded.Search(f.QueryVectors.AsSpan(0, 20 * HnswFixture.Dims), 20, HnswFixture.K);
        for (var q = 0; q < 20; q++) Assert.Equal(before[q], after[q]);
    }

    [Fact]
    public void A_version_1_file_still_loads_as_float32()
    {
        // Version 1 was this layout with 0 (then "reserved") at offset 60: rewrite the version and the checksum.
        using var small = HnswIndex.Build(f.Matrix.AsSpan(0, 500 * HnswFixture.Dims), 500, HnswFixture.Dims);
        var path = Path.Combine(f.Folder, "v1.hnsw");
        small.Save(path);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8)));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(bytes.Length - 16), XxHash64.HashToUInt64(bytes.AsSpan(0, bytes.Length - 16)));
        File.WriteAllBytes(path, bytes);
        using var loaded = HnswIndex.Load(path);
        Assert.Equal(HnswVectorEncoding.Float32, loaded.Encoding);
        Assert.Equal(small.Search(f.QueryVectors.AsSpan(0, HnswFixture.Dims), 1, 10)[0], loaded.Search(f.QueryVectors.AsSpan(0, HnswFixture.Dims), 1, 10)[0]);
    }

    [Theory]
    [InlineData(2, 7, "vector encoding 7 is unknown")]
    [InlineData(1, 1, "version-1 file must hold 0")]
    [InlineData(3, 0, "format version 3 is not supported")]
    public void An_unknown_encoding_or_version_is_rejected_with_a_clear_message(int version, int encoding, string expected)
    {
        using var small = HnswIndex.Build(f.Matrix.AsSpan(0, 200 * HnswFixture.Dims), 200, HnswFixture.Dims);
        var path = Path.Combine(f.Folder, $"bad-{version}-{encoding}.hnsw");
        small.Save(path);
        var bytes = File.ReadAllBytes(path);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), version);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(60), encoding);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => HnswIndex.Load(path));
        Assert.Contains(expected, e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void The_factory_rebuilds_a_saved_graph_whose_encoding_differs_from_the_options()
    {
        var path = Path.Combine(f.Folder, "factory-encoding.hnsw");
        var m = f.Matrix.AsMemory(0, 1_000 * HnswFixture.Dims);
        var options = new VectorIndexOptions { ExactThreshold = 10, HnswPath = path };
        using (var first = (HnswIndex)VectorIndexFactory.Create(new Engine.Kernels.CpuKernelBackend(), m, 1_000, HnswFixture.Dims, options))
            Assert.Equal(HnswVectorEncoding.Float32, first.Encoding);
        using var second = (HnswIndex)VectorIndexFactory.Create(new Engine.Kernels.CpuKernelBackend(), m, 1_000, HnswFixture.Dims, options with { Hnsw = Half16 });
        Assert.Equal(HnswVectorEncoding.Float16, second.Encoding);
        using var reloaded = HnswIndex.Load(path);
        Assert.Equal(HnswVectorEncoding.Float16, reloaded.Encoding);
    }
}
