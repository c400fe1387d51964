namespace MediaGateway.Engine.Catalog.Embeddings;

/// <summary>The component type of a precomputed embeddings file (little-endian IEEE 754).</summary>
public enum EmbeddingElementType
{
    /// <summary>4 bytes per component (.npy descr '&lt;f4', raw files named *.f32 or *.fp32).</summary>
    Float32,

    /// <summary>2 bytes per component (.npy descr '&lt;f2', raw files named *.f16 or *.fp16).</summary>
    Float16,
}
