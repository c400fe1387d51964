namespace MediaGateway.VectorStores.Milvus;

/// <summary>Milvus answered with an error envelope (<c>{"code": …, "message": …}</c>, code ≠ 0).</summary>
public sealed class MilvusException(string operation, int code, string message)
    : Exception($"Milvus {operation} failed with code {code}: {message}")
{
    public string Operation { get; } = operation;

    /// <summary>Milvus's error code, e.g. 100 (collection not found), 1100 (invalid parameter), 1800 (not authenticated).</summary>
    public int Code { get; } = code;

    public string ServerMessage { get; } = message;
}
