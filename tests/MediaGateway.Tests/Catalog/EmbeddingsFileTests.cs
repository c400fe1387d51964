using System.Runtime.InteropServices;
using System.Text;
using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Catalog.Embeddings;

namespace MediaGateway.Tests.Catalog;

/// <summary>Precomputed embeddings files (.npy versions 1–3, raw .f32/.f16): what loads, and every way a file is refused.</summary>
public sealed class EmbeddingsFileTests : IDisposable
{
    private const int Dims = 8;
    private readonly string _folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"mg-embeddings-tests-{Guid.NewGuid():N}");

    public EmbeddingsFileTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Unit rows, seeded.</summary>
    internal static float[] UnitRows(int rows, int dims, int seed)
    {
        var rng = new Random(seed);
        var m = new float[rows * dims];
        for (var r = 0; r < rows; r++)
        {
            var row = m.AsSpan(r * dims, dims);
            for (var d = 0; d < dims; d++) row[d] = rng.NextSingle() * 2 - 1;
            var norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(row));
            for (var d = 0; d < dims; d++) row[d] /= norm;
        }
        return m;
    }

    /// <summary>Writes a .npy file as numpy.lib.format does: magic, version, header length (2 or 4 bytes), dict padded to 64, data.</summary>
    internal static string WriteNpy(string path, ReadOnlySpan<byte> data, string descr, string shape, int major = 1, bool fortran = false)
    {
        var dict = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': ({shape}), }}";
        var lengthBytes = major == 1 ? 2 : 4;
        var prefix = 8 + lengthBytes;
        var padded = dict.PadRight(dict.Length + (64 - (prefix + dict.Length + 1) % 64) % 64) + "\n";
        using var s = File.Create(path);
        s.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0]);
        if (major == 1) s.Write(BitConverter.GetBytes((ushort)padded.Length));
        else s.Write(BitConverter.GetBytes((uint)padded.Length));
        s.Write((major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetBytes(padded));
        s.Write(data);
        return path;
    }

    private string At(string name) => System.IO.Path.Combine(_folder, name);

    private static byte[] Halves(float[] m) => MemoryMarshal.AsBytes(m.Select(x => (Half)x).ToArray().AsSpan()).ToArray();

    private static byte[] Floats(float[] m) => MemoryMarshal.AsBytes(m.AsSpan()).ToArray();

    [Theory]
    [InlineData(1, "<f4")]
    [InlineData(2, "<f4")]
    [InlineData(3, "<f4")]
    [InlineData(1, "<f2")]
    [InlineData(3, "<f2")]
    public void Npy_files_of_every_version_and_both_dtypes_read_back_row_for_row(int major, string descr)
    {
        var m = UnitRows(5, Dims, 1);
        var half = descr == "<f2";
        var path = WriteNpy(At($"v{major}{descr[1..]}.npy"), half ? Halves(m) : Floats(m), descr, $"5, {Dims}", major);
        using var file = EmbeddingsFile.Open(path, Dims);
        Assert.Equal(5, file.Rows);
        Assert.Equal(half ? EmbeddingElementType.Float16 : EmbeddingElementType.Float32, file.ElementType);
        var row = new float[Dims];
        file.CopyRow(3, row);
        for (var d = 0; d < Dims; d++) Assert.Equal(half ? (float)(Half)m[3 * Dims + d] : m[3 * Dims + d], row[d]);
        if (!half) Assert.True(file.Float32Rows(0, 5).SequenceEqual(m)); // a span over the mapping, no copy
        file.CheckAll();
    }

    [Fact]
    public void A_symbolic_link_to_an_embeddings_file_is_read_through()
    {
        var m = UnitRows(3, Dims, 6);
        var target = WriteNpy(At("target.npy"), Floats(m), "<f4", $"3, {Dims}");
        var link = At("link.npy");
        File.CreateSymbolicLink(link, target);
        using var file = EmbeddingsFile.Open(link, Dims);
        Assert.Equal(3, file.Rows);
        Assert.True(file.Float32Rows(0, 3).SequenceEqual(m));
    }

    [Theory]
    [InlineData("e.f32")]
    [InlineData("e.fp16")]
    public void Raw_files_take_their_dtype_from_the_name_and_their_dimension_from_the_caller(string name)
    {
        var m = UnitRows(4, Dims, 2);
        var half = name.EndsWith("16", StringComparison.Ordinal);
        File.WriteAllBytes(At(name), half ? Halves(m) : Floats(m));
        using var file = EmbeddingsFile.Open(At(name), Dims);
        Assert.Equal(4, file.Rows);
        var matrix = file.ToMatrix([3, 0], normalise: false);
        Assert.Equal(m[3 * Dims], matrix[0], 2);
        Assert.Equal(m[0], matrix[Dims], 2);
        Assert.Throws<ArgumentException>(() => EmbeddingsFile.Open(At(name)));
    }

    public static TheoryData<string, string> BadFiles => new()
    {
        { "truncated npy", "truncated" },
        { "trailing bytes", "bytes after" },
        { "float64", "'<f8' is not supported" },
        { "int32", "'<i4' is not supported" },
        { "big-endian", "big-endian" },
        { "fortran", "Fortran" },
        { "1-D", "must be 2-D" },
        { "3-D", "must be 2-D" },
        { "wrong dimension", "its rows have 4 dimensions, the embedding model has 8" },
        { "not npy", "magic" },
        { "raw not whole rows", "not a whole number" },
        { "unknown extension", "not a known embeddings format" },
        { "NaN", "row 2 has a non-finite component (NaN at dimension 5)" },
        { "infinity", "row 1 has a non-finite component" },
        { "not unit", "row 3 has norm 2" },
        { "zero", "row 0 has norm 0" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Bad_files_are_refused_naming_the_file_and_the_problem(string kind, string expected)
    {
        var m = UnitRows(4, Dims, 3);
        var data = Floats(m);
        var shape = $"4, {Dims}";
        var path = At(kind.Replace(' ', '-') + ".npy");
        switch (kind)
        {
            case "truncated npy": WriteNpy(path, data.AsSpan(0, data.Length - 3), "<f4", shape); break;
            case "trailing bytes": WriteNpy(path, [.. data, 0, 0, 0, 0], "<f4", shape); break;
            case "float64": WriteNpy(path, [.. data, .. data], "<f8", shape); break;
            case "int32": WriteNpy(path, data, "<i4", shape); break;
            case "big-endian": WriteNpy(path, data, ">f4", shape); break;
            case "fortran": WriteNpy(path, data, "<f4", shape, fortran: true); break;
            case "1-D": WriteNpy(path, data, "<f4", $"{4 * Dims},"); break;
            case "3-D": WriteNpy(path, data, "<f4", $"2, 2, {Dims}"); break;
            case "wrong dimension": WriteNpy(path, data, "<f4", $"{Dims}, 4"); break; // 8 rows of 4 where the model has 8
            case "not npy": File.WriteAllBytes(path, data); break;
            case "raw not whole rows": path = At("raw.f32"); File.WriteAllBytes(path, data.AsSpan(0, data.Length - 4).ToArray()); break;
            case "unknown extension": path = At("e.bin"); File.WriteAllBytes(path, data); break;
            case "NaN": m[2 * Dims + 5] = float.NaN; WriteNpy(path, Floats(m), "<f4", shape); break;
            case "infinity": m[1 * Dims] = float.PositiveInfinity; WriteNpy(path, Floats(m), "<f4", shape); break;
            case "not unit": for (var d = 0; d < Dims; d++) m[3 * Dims + d] *= 2; WriteNpy(path, Floats(m), "<f4", shape); break;
            case "zero": Array.Clear(m, 0, Dims); WriteNpy(path, Floats(m), "<f4", shape); break;
        }
        // The model's dimension is given, so a file of another width is refused before anything is read.
        var e = Assert.Throws<InvalidDataException>(() =>
        {
            using var file = EmbeddingsFile.Open(path, Dims);
            file.CheckAll();
        });
        Assert.Contains(expected, e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Rows_off_unit_length_are_scaled_only_when_asked_and_zero_rows_never()
    {
        var m = UnitRows(3, Dims, 4);
        for (var d = 0; d < Dims; d++) m[Dims + d] *= 3;
        using (var file = EmbeddingsFile.Open(WriteNpy(At("scaled.npy"), Floats(m), "<f4", $"3, {Dims}"), Dims))
        {
            Assert.Contains("row 1 has norm 3", Assert.Throws<InvalidDataException>(() => file.ToMatrix([0, 1, 2], normalise: false)).Message);
            var scaled = file.ToMatrix([0, 1, 2], normalise: true);
            Assert.Equal(1.0, Math.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(scaled.AsSpan(Dims, Dims))), 5);
        }
        Array.Clear(m, Dims, Dims);
        using var zero = EmbeddingsFile.Open(WriteNpy(At("zero-row.npy"), Floats(m), "<f4", $"3, {Dims}"), Dims);
        Assert.Contains("row 1 is all zeros", Assert.Throws<InvalidDataException>(() => zero.ToMatrix([0, 1, 2], normalise: true)).Message);
    }

    [Fact]
    public void The_importer_numbers_every_record_read_so_rows_of_rejected_records_are_skipped()
    {
        var jsonl = "{\"title\":\"A\"}\n\nnot json\n{\"year\":1990}\n{\"title\":\"B\"}\n";
        var result = new CatalogImporter().Import(new MemoryStream(Encoding.UTF8.GetBytes(jsonl)));
        Assert.Equal(4, result.Report.Read); // the blank line is not a record
        Assert.Equal(["A", "B"], result.Items.Select(i => i.Title));
        Assert.Equal([0, 3], result.SourceRecords);
    }
}
