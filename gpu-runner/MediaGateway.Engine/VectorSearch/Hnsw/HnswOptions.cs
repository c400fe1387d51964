namespace MediaGateway.Engine.VectorSearch.Hnsw;

/// <summary>HNSW parameters (names as in Malkov &amp; Yashunin 2018 and hnswlib).</summary>
public sealed record HnswOptions
{
    /// <summary>Links per node on the upper layers; layer 0 keeps 2·M. Memory per node ≈ 4·(2M+1) bytes + the vector.</summary>
    public int M { get; init; } = 16;

    /// <summary>Candidate-list size while inserting: higher builds slower and gives a better graph.</summary>
    public int EfConstruction { get; init; } = 200;

    /// <summary>Candidate-list size while searching (raised to k when smaller): the recall/speed knob.</summary>
    public int EfSearch { get; init; } = 64;

    /// <summary>
    /// How node vectors are stored: <see cref="HnswVectorEncoding.Float32"/> (exact) or
    /// <see cref="HnswVectorEncoding.Float16"/> (half the memory; see docs/performance.md, "Millions").
    /// </summary>
    public HnswVectorEncoding Encoding { get; init; } = HnswVectorEncoding.Float32;

    /// <summary>
    /// Beam width on the upper layers while inserting. The paper descends them greedily (ef = 1, as hnswlib does);
    /// on data made of many clusters that are all about equally far from each other, a greedy step has nothing to
    /// follow between clusters and can stop in the wrong one. An inserted node then links only into that wrong
    /// cluster and is cut off from its own (3 % of the nodes of the 5M benchmark set were), which caps recall
    /// whatever efSearch is. A beam of 32 finds the right cluster (docs/performance.md, "Millions"); 1 restores
    /// the greedy descent.
    /// </summary>
    public int UpperLayerEf { get; init; } = 32;

    /// <summary>
    /// Beam width on the upper layers while searching (also <see cref="HnswIndex.UpperLayerEfSearch"/>): a query
    /// that lands in the wrong cluster misses too. Narrower than the insertion beam because it is paid per query:
    /// at 5M, 12 gave recall@10 0.965 at efSearch 256 where 1 gave 0.79 and 32 0.975; at 200k, 12 cost 0.6× of
    /// 32's time per query at the same recall.
    /// </summary>
    public int UpperLayerEfSearch { get; init; } = 12;

    /// <summary>Worker threads for build and batched search (0: all cores).</summary>
    public int MaxThreads { get; init; }

    /// <summary>Seed for the layer draw, so a single-threaded build is reproducible.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>
    /// A filtered query whose filter allows at most this fraction of the rows is answered by an exact scan
    /// of the allowed rows instead: the graph walk would visit most of the graph to find k allowed nodes.
    /// </summary>
    public double FilterExactFraction { get; init; } = 0.02;

    /// <summary>…or at most this many rows, whichever is larger.</summary>
    public int FilterExactRows { get; init; } = 2_000;

    public void Validate()
    {
        if (M is < 2 or > 256) throw new ArgumentOutOfRangeException(nameof(M), M, "M must be in 2…256.");
        if (EfConstruction < 1) throw new ArgumentOutOfRangeException(nameof(EfConstruction), EfConstruction, "EfConstruction must be ≥ 1.");
        if (!Enum.IsDefined(Encoding)) throw new ArgumentOutOfRangeException(nameof(Encoding), Encoding, "Encoding must be Float32 or Float16.");
        if (UpperLayerEf < 1) throw new ArgumentOutOfRangeException(nameof(UpperLayerEf), UpperLayerEf, "UpperLayerEf must be ≥ 1.");
        if (UpperLayerEfSearch < 1) throw new ArgumentOutOfRangeException(nameof(UpperLayerEfSearch), UpperLayerEfSearch, "UpperLayerEfSearch must be ≥ 1.");
        if (EfSearch < 1) throw new ArgumentOutOfRangeException(nameof(EfSearch), EfSearch, "EfSearch must be ≥ 1.");
    }
}
