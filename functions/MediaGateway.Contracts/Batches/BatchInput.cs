using System.Security.Cryptography;
using System.Text.Json;
using MediaGateway.Contracts.Search;

namespace MediaGateway.Contracts.Batches;

/// <summary>How a batch's queries are stored, and the key that ties a queue message to them.</summary>
public static class BatchInput
{
    public static byte[] Serialize(IReadOnlyList<SearchRequest> normalized) => JsonSerializer.SerializeToUtf8Bytes(normalized, ContractJson.Options);

    public static IReadOnlyList<SearchRequest> Deserialize(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<SearchRequest[]>(json, ContractJson.Options) ?? throw new InvalidDataException("The stored batch input is null.");

    /// <summary>SHA-256 of the stored input, 64 hex digits.</summary>
    public static string KeyFor(ReadOnlySpan<byte> serialized) => Convert.ToHexStringLower(SHA256.HashData(serialized));
}
