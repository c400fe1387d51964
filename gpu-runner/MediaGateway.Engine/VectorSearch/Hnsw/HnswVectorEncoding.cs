namespace MediaGateway.Engine.VectorSearch.Hnsw;

/// <summary>How the graph stores each node's vector. The value is what the index file records.</summary>
public enum HnswVectorEncoding
{
    /// <summary>4 bytes per component: the vectors exactly as given.</summary>
    Float32 = 0,

    /// <summary>
    /// 2 bytes per component (IEEE 754 binary16): half the memory and half the bytes per distance, for a
    /// rounding error of at most 2⁻¹¹ relative per component, which moves a unit-vector inner product by
    /// about 10⁻⁴ — below the gaps that decide a top-10 except among near-ties. Queries stay float32.
    /// </summary>
    Float16 = 1,
}
