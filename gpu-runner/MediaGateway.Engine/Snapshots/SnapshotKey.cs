using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace MediaGateway.Engine.Snapshots;

/// <summary>
/// What a snapshot's vectors depend on: the exact texts embedded (in order), the model that embedded them and
/// its dimension. Any change to one gives another key, so a stale snapshot is never even looked at.
/// </summary>
/// <param name="Kind">Which set of texts: "catalog", "concept-labels".</param>
/// <param name="ContentHash">SHA-256 of the texts, each length-prefixed, in order (32 bytes).</param>
public sealed partial record SnapshotKey(string Kind, string ModelId, int Dimension, int Rows, byte[] ContentHash)
{
    public static SnapshotKey For(string kind, IReadOnlyList<string> texts, string modelId, int dimension)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        foreach (var text in texts)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
            sha.AppendData(length);
            sha.AppendData(bytes);
        }
        return new SnapshotKey(kind, modelId, dimension, texts.Count, sha.GetHashAndReset());
    }

    /// <summary>
    /// The blob or file name: kind, model (letters, digits, '-', '.' kept), dimension, row count and content hash,
    /// e.g. <c>catalog-sentence-transformers_all-MiniLM-L6-v2-384-3200-9f86d0….snap</c>.
    /// </summary>
    public string Name => $"{Kind}-{Sanitise(ModelId)}-{Dimension}-{Rows}-{Convert.ToHexStringLower(ContentHash)}.snap";

    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    private static string Sanitise(string modelId)
    {
        var s = new string(modelId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_').ToArray());
        return s.Length <= 80 ? s : s[..80];
    }

    [GeneratedRegex(@"\A[A-Za-z0-9_.-]{1,200}\.snap\z")]
    private static partial Regex NamePattern();
}
