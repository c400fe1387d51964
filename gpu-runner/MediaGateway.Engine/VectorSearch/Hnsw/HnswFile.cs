using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace MediaGateway.Engine.VectorSearch.Hnsw;

/// <summary>
/// Saves and loads an <see cref="HnswIndex"/>. Format (all little-endian), version 2:
/// <code>
/// offset size  field
///   0     8    magic "MGHNSW\r\n"
///   8     4    format version (2; version 1 files, which are float32 and hold 0 at offset 60, still load)
///  12     4    header size (64)
///  16     4    dimension D
///  20     4    M (layer 0 holds up to 2M links)
///  24     4    efConstruction
///  28     4    efSearch
///  32     4    node count (including tombstones)
///  36     4    entry node (−1: empty)
///  40     4    top layer (−1: empty)
///  44     8    payload length in bytes
///  52     8    level seed
///  60     4    vector encoding: 0 float32, 1 float16 (<see cref="HnswVectorEncoding"/>)
///  64          payload:
///                vectors   node count × D × float32 (encoding 0) or × binary16 (encoding 1)
///                rows      node count × int32 (catalog row of each node)
///                levels    node count × uint8
///                tombstone ⌈node count / 64⌉ × uint64 (bit set: deleted)
///                layer 0   node count × (2M+1) × int32 (count, then ids)
///                upper     per node with level L &gt; 0, in node order: L × (M+1) × int32
///  64+P   8    XxHash64 (seed 0) of bytes 0 … 64+P−1
///  72+P   8    end magic "MGHNSWok"
/// </code>
/// The file is streamed both ways (no second copy of the vectors in memory), written to a temporary file
/// and renamed, so a crash never leaves a half-written index under the real name. Loading checks the
/// length before reading, the checksum before returning, and every link after that, so a truncated or
/// corrupted file raises <see cref="InvalidDataException"/> naming the file and the problem.
/// </summary>
public static class HnswFile
{
    public const int Version = 2;
    private const int HeaderSize = 64, TrailerSize = 16;
    private static ReadOnlySpan<byte> Magic => "MGHNSW\r\n"u8;
    private static ReadOnlySpan<byte> EndMagic => "MGHNSWok"u8;

    internal sealed record Header(int Dimension, int M, int EfConstruction, int EfSearch, int Nodes, int Entry, int MaxLevel, long PayloadBytes, ulong Seed, HnswVectorEncoding Encoding);

    internal static long PayloadBytes(int nodes, int dimension, int m, long upperInts, HnswVectorEncoding encoding) =>
        (encoding == HnswVectorEncoding.Float16 ? 2L : 4L) * nodes * dimension + 4L * nodes + nodes + 8L * ((nodes + 63) / 64) + 4L * nodes * (2 * m + 1) + 4L * upperInts;

    internal static void Write(string path, Header header, Action<Action<ReadOnlySpan<byte>>> writePayload)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("The HNSW file format is little-endian.");
        var temp = path + ".tmp";
        var hash = new XxHash64();
        long written = 0;
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            void Put(ReadOnlySpan<byte> bytes)
            {
                file.Write(bytes);
                hash.Append(bytes);
                written += bytes.Length;
            }
            Span<byte> h = stackalloc byte[HeaderSize];
            h.Clear();
            Magic.CopyTo(h);
            BinaryPrimitives.WriteInt32LittleEndian(h[8..], Version);
            BinaryPrimitives.WriteInt32LittleEndian(h[12..], HeaderSize);
            BinaryPrimitives.WriteInt32LittleEndian(h[16..], header.Dimension);
            BinaryPrimitives.WriteInt32LittleEndian(h[20..], header.M);
            BinaryPrimitives.WriteInt32LittleEndian(h[24..], header.EfConstruction);
            BinaryPrimitives.WriteInt32LittleEndian(h[28..], header.EfSearch);
            BinaryPrimitives.WriteInt32LittleEndian(h[32..], header.Nodes);
            BinaryPrimitives.WriteInt32LittleEndian(h[36..], header.Entry);
            BinaryPrimitives.WriteInt32LittleEndian(h[40..], header.MaxLevel);
            BinaryPrimitives.WriteInt64LittleEndian(h[44..], header.PayloadBytes);
            BinaryPrimitives.WriteUInt64LittleEndian(h[52..], header.Seed);
            BinaryPrimitives.WriteInt32LittleEndian(h[60..], (int)header.Encoding);
            Put(h);
            writePayload(Put);
            if (written != HeaderSize + header.PayloadBytes)
                throw new InvalidOperationException($"Wrote {written - HeaderSize} payload bytes, the header says {header.PayloadBytes}.");
            Span<byte> trailer = stackalloc byte[TrailerSize];
            BinaryPrimitives.WriteUInt64LittleEndian(trailer, hash.GetCurrentHashAsUInt64());
            EndMagic.CopyTo(trailer[8..]);
            file.Write(trailer);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads the file, handing payload sections to <paramref name="readPayload"/>; verifies the checksum at the end.</summary>
    internal static T Read<T>(string path, Func<Header, Func<int, ReadOnlySpan<byte>>, Action<Span<byte>>, T> readPayload)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var hash = new XxHash64();
        Span<byte> h = stackalloc byte[HeaderSize];
        if (file.Length < HeaderSize + TrailerSize) throw Corrupt(path, $"it is {file.Length} bytes, shorter than a header and trailer ({HeaderSize + TrailerSize}); the file is truncated or not an HNSW index");
        file.ReadExactly(h);
        hash.Append(h);
        if (!h[..8].SequenceEqual(Magic)) throw Corrupt(path, "the magic number is wrong; this is not a MediaGateway HNSW index file");
        var version = BinaryPrimitives.ReadInt32LittleEndian(h[8..]);
        if (version is < 1 or > Version) throw Corrupt(path, $"format version {version} is not supported (this build reads versions 1 to {Version})");
        if (BinaryPrimitives.ReadInt32LittleEndian(h[12..]) != HeaderSize) throw Corrupt(path, "the header size field is wrong");
        var header = new Header(
            BinaryPrimitives.ReadInt32LittleEndian(h[16..]), BinaryPrimitives.ReadInt32LittleEndian(h[20..]),
            BinaryPrimitives.ReadInt32LittleEndian(h[24..]), BinaryPrimitives.ReadInt32LittleEndian(h[28..]),
            BinaryPrimitives.ReadInt32LittleEndian(h[32..]), BinaryPrimitives.ReadInt32LittleEndian(h[36..]),
            BinaryPrimitives.ReadInt32LittleEndian(h[40..]), BinaryPrimitives.ReadInt64LittleEndian(h[44..]),
            BinaryPrimitives.ReadUInt64LittleEndian(h[52..]),
            (HnswVectorEncoding)BinaryPrimitives.ReadInt32LittleEndian(h[60..]));
        // Version 1 had no encoding field (its offset 60 was reserved, 0: float32, which is what it stored).
        if (version == 1 && header.Encoding != HnswVectorEncoding.Float32) throw Corrupt(path, "a version-1 file must hold 0 in its reserved field");
        if (!Enum.IsDefined(header.Encoding)) throw Corrupt(path, $"vector encoding {(int)header.Encoding} is unknown (0 float32 and 1 float16 are known)");
        if (header.Dimension < 1 || header.M is < 2 or > 256 || header.Nodes < 0 || header.EfConstruction < 1 || header.EfSearch < 1
            || header.PayloadBytes < PayloadBytes(header.Nodes, header.Dimension, header.M, 0, header.Encoding) || header.MaxLevel > 32)
            throw Corrupt(path, "the header holds impossible values (corrupted header)");
        var expected = HeaderSize + header.PayloadBytes + TrailerSize;
        if (file.Length < expected) throw Corrupt(path, $"it is truncated: {file.Length} bytes, the header says {expected}");
        if (file.Length > expected) throw Corrupt(path, $"it has {file.Length - expected} unexpected bytes after the end");

        long consumed = 0;
        byte[] scratch = [];
        ReadOnlySpan<byte> Next(int count)
        {
            if (consumed + count > header.PayloadBytes) throw Corrupt(path, "a section runs past the payload length in the header");
            if (scratch.Length < count) scratch = new byte[Math.Max(count, 4096)];
            var span = scratch.AsSpan(0, count);
            file.ReadExactly(span);
            hash.Append(span);
            consumed += count;
            return span;
        }
        void Fill(Span<byte> destination)
        {
            // Large sections go straight into their arrays in 1 MiB reads.
            if (consumed + destination.Length > header.PayloadBytes) throw Corrupt(path, "a section runs past the payload length in the header");
            for (var offset = 0; offset < destination.Length;)
            {
                var n = Math.Min(1 << 20, destination.Length - offset);
                var part = destination.Slice(offset, n);
                file.ReadExactly(part);
                hash.Append(part);
                offset += n;
            }
            consumed += destination.Length;
        }

        T result;
        try
        {
            result = readPayload(header, Next, Fill);
        }
        catch (InvalidDataException e) when (!e.Message.Contains(path, StringComparison.Ordinal))
        {
            throw Corrupt(path, e.Message);
        }
        if (consumed != header.PayloadBytes) throw Corrupt(path, $"the payload is {header.PayloadBytes} bytes but its sections add up to {consumed}");
        Span<byte> trailer = stackalloc byte[TrailerSize];
        file.ReadExactly(trailer);
        if (!trailer[8..].SequenceEqual(EndMagic)) throw Corrupt(path, "the end marker is missing (truncated or corrupted)");
        var stored = BinaryPrimitives.ReadUInt64LittleEndian(trailer);
        var actual = hash.GetCurrentHashAsUInt64();
        if (stored != actual) throw Corrupt(path, $"checksum mismatch (stored XxHash64 {stored:x16}, computed {actual:x16}); the file is corrupted");
        return result;
    }

    internal static Span<byte> AsBytes<T>(Span<T> span) where T : struct => MemoryMarshal.AsBytes(span);

    internal static InvalidDataException Corrupt(string path, string problem) =>
        new($"HNSW index file '{path}' cannot be loaded: {problem}.");
}
