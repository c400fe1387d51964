namespace MediaGateway.Engine.Embedding;

/// <summary>
/// The embedding models served (all 384-d), chosen by <c>MediaGateway:Engine:EmbeddingModel</c>. The model id
/// is part of the stored embeddings' key, so switching recomputes the catalog's embeddings once. The judged
/// set's numbers for each are in docs/search-quality.md.
/// </summary>
public enum EmbeddingModel
{
    /// <summary>all-MiniLM-L6-v2 (symmetric: queries and documents alike).</summary>
    MiniLM,
    /// <summary>The same model with its weights quantised to int8 at load: about 2.5× faster per query on the CPU.</summary>
    MiniLMInt8,
    /// <summary>Snowflake arctic-embed-xs (retrieval: queries carry its prefix).</summary>
    ArcticXs,
}
