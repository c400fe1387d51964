using System.Runtime.InteropServices;
using System.Text;

namespace MediaGateway.Benchmarks;

/// <summary>Minimal .npy (version 1.0, C order, little-endian float32/int32, 2-D) reader and writer.</summary>
internal static class Npy
{
    public static (float[] Data, int Rows, int Cols) ReadFloat32(string path, int maxRows = int.MaxValue)
    {
        using var stream = File.OpenRead(path);
        var (descr, rows, cols) = ReadHeader(stream, path);
        if (descr != "<f4") throw new InvalidDataException($"{path}: expected float32 ('<f4'), found {descr}.");
        rows = Math.Min(rows, maxRows);
        var data = GC.AllocateUninitializedArray<float>(checked(rows * cols));
        stream.ReadExactly(MemoryMarshal.AsBytes(data.AsSpan()));
        return (data, rows, cols);
    }

    public static void WriteInt32(string path, int[] data, int rows, int cols) =>
        Write(path, "<i4", MemoryMarshal.AsBytes(data.AsSpan()), rows, cols);

    public static void WriteFloat32(string path, float[] data, int rows, int cols) =>
        Write(path, "<f4", MemoryMarshal.AsBytes(data.AsSpan()), rows, cols);

    private static void Write(string path, string descr, ReadOnlySpan<byte> data, int rows, int cols)
    {
        var header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({rows}, {cols}), }}";
        var total = 10 + header.Length + 1;
        header = header.PadRight(header.Length + (64 - total % 64) % 64) + "\n";
        using var stream = File.Create(path);
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        stream.Write(BitConverter.GetBytes((ushort)header.Length));
        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(data);
    }

    private static (string Descr, int Rows, int Cols) ReadHeader(Stream stream, string path)
    {
        Span<byte> prefix = stackalloc byte[10];
        stream.ReadExactly(prefix);
        if (prefix[0] != 0x93 || prefix[1] != (byte)'N' || prefix[6] != 1) throw new InvalidDataException($"{path}: not a version-1 .npy file.");
        var headerLength = BitConverter.ToUInt16(prefix[8..]);
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        var text = Encoding.ASCII.GetString(header);
        if (text.Contains("'fortran_order': True")) throw new InvalidDataException($"{path}: Fortran order is not supported.");
        var descr = Between(text, "'descr': '", "'");
        var shape = Between(text, "'shape': (", ")").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (descr, int.Parse(shape[0]), shape.Length > 1 ? int.Parse(shape[1]) : 1);
    }

    private static string Between(string text, string start, string end)
    {
        var i = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        return text[i..text.IndexOf(end, i, StringComparison.Ordinal)];
    }
}
