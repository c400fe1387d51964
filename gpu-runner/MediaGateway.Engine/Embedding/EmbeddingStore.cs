using System.Security.Cryptography;
using System.Text;

namespace MediaGateway.Engine.Embedding;

/// <summary>
/// Catalog embeddings kept on disk, keyed by model and by the SHA-256 of the embedded text, so a restart
/// re-embeds only items whose text changed. One file per model:
/// <c>"MGEMB001"</c>, int32 dimension, int32 count, then count × (32-byte hash, dimension × float32).
/// Written to a temporary file and renamed, so a crash never leaves a half-written store.
/// </summary>
public sealed class EmbeddingStore(string directory)
{
    private static readonly byte[] Magic = "MGEMB001"u8.ToArray();

    public string PathFor(string modelId) =>
        Path.Combine(directory, string.Concat(modelId.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_')) + ".emb");

    public static string KeyOf(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public Dictionary<string, float[]> Load(string modelId, int dimension)
    {
        var map = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var path = PathFor(modelId);
        if (!File.Exists(path)) return map;
        try
        {
            using var reader = new BinaryReader(File.OpenRead(path));
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic) || reader.ReadInt32() != dimension) return map;
            var count = reader.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                var key = Convert.ToHexString(reader.ReadBytes(32));
                var vector = new float[dimension];
                reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.AsSpan()));
                map[key] = vector;
            }
        }
        catch (EndOfStreamException)
        {
            // A truncated store is only a cache: start over rather than trust part of it.
            map.Clear();
        }
        return map;
    }

    public void Save(string modelId, int dimension, IReadOnlyDictionary<string, float[]> vectors)
    {
        Directory.CreateDirectory(directory);
        var path = PathFor(modelId);
        var temp = path + ".tmp";
        using (var writer = new BinaryWriter(File.Create(temp)))
        {
            writer.Write(Magic);
            writer.Write(dimension);
            writer.Write(vectors.Count);
            foreach (var (key, vector) in vectors)
            {
                writer.Write(Convert.FromHexString(key));
                writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.AsSpan()));
            }
        }
        File.Move(temp, path, overwrite: true);
    }
}
