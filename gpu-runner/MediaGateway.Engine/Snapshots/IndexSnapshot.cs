using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace MediaGateway.Engine.Snapshots;

/// <summary>
/// A set of embeddings (and optionally the HNSW graph built over them), as stored in the snapshot store.
/// Format, little-endian, version 1:
/// <code>
///   8  magic "MGSNAP\r\n"
///   4  format version (1)
///   4  kind length K, then K bytes UTF-8 kind
///   4  model id length L, then L bytes UTF-8 model id
///   4  dimension D
///   4  rows N
///  32  content hash (SHA-256 of the embedded texts, SnapshotKey)
///   8  vector bytes (N × D × 4)
///      vectors, row-major float32
///   8  graph bytes G (0: no graph)
///      graph (an HnswFile, which has its own checksum)
///  32  SHA-256 of every byte above
/// </code>
/// <see cref="ReadAsync"/> trusts nothing before the final hash matches: every header field is compared with
/// the key that was asked for, every size with the key's rows and dimension (and with the bytes actually
/// there), and any difference is an <see cref="InvalidDataException"/> that says what differed.
/// </summary>
public sealed class IndexSnapshot
{
    private static readonly byte[] Magic = "MGSNAP\r\n"u8.ToArray();
    private const int Version = 1;
    private const int MaxNameBytes = 1_024;
    /// <summary>A graph is at most a few times the vectors' size (links per node); anything larger is not ours.</summary>
    private const long MaxGraphToVectorRatio = 8;

    public required SnapshotKey Key { get; init; }

    /// <summary>Row-major, Rows × Dimension.</summary>
    public required float[] Vectors { get; init; }

    /// <summary>An HnswFile's bytes, or null when the engine searches exactly.</summary>
    public byte[]? Graph { get; init; }

    public async Task WriteAsync(Stream output, CancellationToken cancellationToken = default)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        async Task Put(ReadOnlyMemory<byte> bytes)
        {
            sha.AppendData(bytes.Span);
            await output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        var header = new MemoryStream();
        using (var w = new BinaryWriter(header, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(Version);
            WriteString(w, Key.Kind);
            WriteString(w, Key.ModelId);
            w.Write(Key.Dimension);
            w.Write(Key.Rows);
            w.Write(Key.ContentHash);
            w.Write((long)Vectors.Length * sizeof(float));
        }
        await Put(header.ToArray()).ConfigureAwait(false);
        var chunk = new byte[1 << 20];
        var vectorBytes = (long)Vectors.Length * sizeof(float);
        for (long done = 0; done < vectorBytes; done += chunk.Length)
        {
            var count = (int)Math.Min(chunk.Length, vectorBytes - done);
            Buffer.BlockCopy(Vectors, (int)done, chunk, 0, count);
            await Put(chunk.AsMemory(0, count)).ConfigureAwait(false);
        }
        var graphLength = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(graphLength, Graph?.LongLength ?? 0);
        await Put(graphLength).ConfigureAwait(false);
        if (Graph is { Length: > 0 }) await Put(Graph).ConfigureAwait(false);
        await output.WriteAsync(sha.GetHashAndReset(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads and fully validates a snapshot against the key it was looked up by; throws <see cref="InvalidDataException"/> on any mismatch.</summary>
    public static async Task<IndexSnapshot> ReadAsync(Stream input, SnapshotKey expected, CancellationToken cancellationToken = default)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        async Task<byte[]> Take(long count, string what)
        {
            if (count < 0 || count > Array.MaxLength) throw new InvalidDataException($"{what}: impossible length {count}");
            var bytes = new byte[count];
            try
            {
                await input.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            }
            catch (EndOfStreamException)
            {
                throw new InvalidDataException($"truncated in {what}");
            }
            sha.AppendData(bytes);
            return bytes;
        }
        async Task<int> Int32(string what) => BinaryPrimitives.ReadInt32LittleEndian(await Take(4, what).ConfigureAwait(false));
        async Task<long> Int64(string what) => BinaryPrimitives.ReadInt64LittleEndian(await Take(8, what).ConfigureAwait(false));
        async Task<string> Text(string what)
        {
            var length = await Int32(what).ConfigureAwait(false);
            if (length is < 0 or > MaxNameBytes) throw new InvalidDataException($"{what}: impossible length {length}");
            return Encoding.UTF8.GetString(await Take(length, what).ConfigureAwait(false));
        }
        void Expect<T>(T actual, T wanted, string what)
        {
            if (!EqualityComparer<T>.Default.Equals(actual, wanted)) throw new InvalidDataException($"{what} is {actual}, expected {wanted}");
        }

        if (!(await Take(Magic.Length, "magic").ConfigureAwait(false)).AsSpan().SequenceEqual(Magic)) throw new InvalidDataException("not a snapshot (magic)");
        Expect(await Int32("version").ConfigureAwait(false), Version, "format version");
        Expect(await Text("kind").ConfigureAwait(false), expected.Kind, "kind");
        Expect(await Text("model id").ConfigureAwait(false), expected.ModelId, "model id");
        Expect(await Int32("dimension").ConfigureAwait(false), expected.Dimension, "dimension");
        Expect(await Int32("rows").ConfigureAwait(false), expected.Rows, "row count");
        var hash = await Take(32, "content hash").ConfigureAwait(false);
        if (!hash.AsSpan().SequenceEqual(expected.ContentHash)) throw new InvalidDataException("content hash differs from the catalog's");
        var vectorBytes = (long)expected.Rows * expected.Dimension * sizeof(float);
        Expect(await Int64("vector length").ConfigureAwait(false), vectorBytes, "vector byte length");
        var vectors = new float[expected.Rows * expected.Dimension];
        await ReadVectorsAsync(input, vectors, sha, cancellationToken).ConfigureAwait(false);
        var graphLength = await Int64("graph length").ConfigureAwait(false);
        if (graphLength < 0 || graphLength > Math.Max(1 << 20, vectorBytes * MaxGraphToVectorRatio))
            throw new InvalidDataException($"graph length {graphLength} is impossible for {expected.Rows} rows");
        var graph = graphLength == 0 ? null : await Take(graphLength, "graph").ConfigureAwait(false);
        var computed = sha.GetHashAndReset();
        var stored = new byte[32];
        try
        {
            await input.ReadExactlyAsync(stored, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("truncated before the checksum");
        }
        if (!stored.AsSpan().SequenceEqual(computed)) throw new InvalidDataException("checksum mismatch (corrupted)");
        var extra = new byte[1];
        if (await input.ReadAsync(extra, cancellationToken).ConfigureAwait(false) != 0) throw new InvalidDataException("bytes after the checksum");
        foreach (var v in vectors)
            if (!float.IsFinite(v)) throw new InvalidDataException("a vector holds a value that is not finite");
        return new IndexSnapshot { Key = expected, Vectors = vectors, Graph = graph };
    }

    /// <summary>Reads the vectors straight into their array in chunks, hashing as it goes (no second copy).</summary>
    private static async Task ReadVectorsAsync(Stream input, float[] vectors, IncrementalHash sha, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 20];
        var total = (long)vectors.Length * sizeof(float);
        for (long done = 0; done < total;)
        {
            var chunk = (int)Math.Min(buffer.Length, total - done);
            try
            {
                await input.ReadExactlyAsync(buffer.AsMemory(0, chunk), cancellationToken).ConfigureAwait(false);
            }
            catch (EndOfStreamException)
            {
                throw new InvalidDataException("truncated in vectors");
            }
            sha.AppendData(buffer, 0, chunk);
            Buffer.BlockCopy(buffer, 0, vectors, (int)done, chunk);
            done += chunk;
        }
    }

    private static void WriteString(BinaryWriter w, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        w.Write(bytes.Length);
        w.Write(bytes);
    }
}
