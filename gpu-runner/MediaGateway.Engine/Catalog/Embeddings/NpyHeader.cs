using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MediaGateway.Engine.Catalog.Embeddings;

/// <summary>
/// The header of a NumPy .npy file (format versions 1.0, 2.0 and 3.0, numpy.lib.format): the magic
/// "\x93NUMPY", the version, the header length (2 bytes in version 1, 4 in versions 2 and 3), then a Python
/// dict literal giving descr, fortran_order and shape, padded so the data starts on a 16- or 64-byte boundary.
/// Only what an embeddings matrix needs is accepted: 2-D, C order, little-endian float32 or float16.
/// </summary>
public sealed partial record NpyHeader(EmbeddingElementType ElementType, long Rows, int Columns, long DataOffset)
{
    /// <summary>Enough for any header numpy writes for a 2-D array (it pads to 64 bytes; long ones are rare).</summary>
    private const int MaxHeaderBytes = 1 << 16;

    public static NpyHeader Read(Stream stream, string path)
    {
        Span<byte> prefix = stackalloc byte[12];
        var got = stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        if (got < 10 || prefix[0] != 0x93 || !prefix[1..6].SequenceEqual("NUMPY"u8))
            throw Bad(path, "it does not start with the .npy magic \"\\x93NUMPY\"");
        var major = prefix[6];
        if (major is < 1 or > 3) throw Bad(path, $".npy format version {major}.{prefix[7]} is not supported (1.0, 2.0 and 3.0 are)");
        var lengthBytes = major == 1 ? 2 : 4;
        if (got < 8 + lengthBytes) throw Bad(path, "the header is truncated");
        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..]) : BinaryPrimitives.ReadUInt32LittleEndian(prefix[8..]);
        if (headerLength > MaxHeaderBytes) throw Bad(path, $"the header claims {headerLength} bytes, more than {MaxHeaderBytes}");
        var start = 8 + lengthBytes;
        var header = new byte[headerLength];
        stream.Position = start;
        if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length) throw Bad(path, "the header is truncated");
        // Versions 1 and 2 use latin-1 (ASCII in practice); version 3 UTF-8.
        var text = major == 3 ? Encoding.UTF8.GetString(header) : Encoding.Latin1.GetString(header);

        var descr = DescrPattern().Match(text);
        if (!descr.Success) throw Bad(path, "the header has no 'descr'");
        var elementType = descr.Groups[1].Value switch
        {
            "<f4" => EmbeddingElementType.Float32,
            "<f2" => EmbeddingElementType.Float16,
            ">f4" or ">f2" => throw Bad(path, $"dtype '{descr.Groups[1].Value}' is big-endian; save little-endian ('<f4' or '<f2'), e.g. array.astype('<f4')"),
            var other => throw Bad(path, $"dtype '{other}' is not supported; embeddings must be float32 ('<f4') or float16 ('<f2')"),
        };
        var order = FortranPattern().Match(text);
        if (!order.Success) throw Bad(path, "the header has no 'fortran_order'");
        if (order.Groups[1].Value == "True") throw Bad(path, "the array is in Fortran (column-major) order; save it in C order, e.g. np.ascontiguousarray(array)");
        var shape = ShapePattern().Match(text);
        if (!shape.Success) throw Bad(path, "the header has no 'shape'");
        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (dims.Length != 2) throw Bad(path, $"the array has shape ({shape.Groups[1].Value}); embeddings must be 2-D (rows, dimension)");
        if (!long.TryParse(dims[0], NumberStyles.None, CultureInfo.InvariantCulture, out var rows)
            || !int.TryParse(dims[1], NumberStyles.None, CultureInfo.InvariantCulture, out var columns) || columns < 1)
            throw Bad(path, $"the shape ({shape.Groups[1].Value}) is not two positive integers");
        return new NpyHeader(elementType, rows, columns, start + headerLength);
    }

    internal static InvalidDataException Bad(string path, string problem) => new($"Embeddings file '{path}' cannot be used: {problem}.");

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
