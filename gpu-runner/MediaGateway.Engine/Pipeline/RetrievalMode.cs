namespace MediaGateway.Engine.Pipeline;

/// <summary>Where search candidates come from before ranking.</summary>
public enum RetrievalMode
{
    /// <summary>The dense (vector) index and the BM25 lexical index together.</summary>
    Hybrid,
    /// <summary>The dense index only.</summary>
    Dense,
}
