using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MediaGateway.Engine.Catalog;

/// <summary>
/// Names what a runner serves: the model and every catalog item as imported. Results depend on both, so the
/// gateway's cache keys include this version, and a result computed on another catalog is never served for this one.
/// </summary>
public static class CatalogVersion
{
    /// <summary>The first 16 hex digits of the SHA-256 of the model id and each item's JSON, in catalog order.</summary>
    public static string Of(IReadOnlyList<CatalogItem> items, string modelId)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(modelId));
        foreach (var item in items)
        {
            hash.AppendData("\n"u8);
            hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(item));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
