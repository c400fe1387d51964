using MediaGateway.Engine.Kernels;
using MediaGateway.Engine.Ranking;

namespace MediaGateway.Engine.Pipeline;

/// <summary>Engine settings, bound from <c>MediaGateway:Engine</c>.</summary>
public sealed class EngineOptions
{
    public const string Section = "MediaGateway:Engine";

    /// <summary>A catalog file (JSON array or JSONL, docs/catalog-format.md). Default: the vega-datasets demo catalog.</summary>
    public string? CatalogPath { get; set; }

    /// <summary>
    /// Precomputed catalog embeddings, used instead of running the model over the catalog: a <c>.npy</c> file
    /// (float32 or float16, shape (records, dimension)) or a raw little-endian <c>.f32</c>/<c>.f16</c> file,
    /// row i for the catalog file's i-th record, made by the same model the engine embeds queries with. The
    /// file is memory-mapped; start-up checks its row count, dimension, and that every row is finite and unit
    /// length (see <see cref="CatalogEmbeddingsNormalise"/>), naming the first bad row.
    /// </summary>
    public string? CatalogEmbeddingsPath { get; set; }

    /// <summary>Scale precomputed rows that are not unit length to unit length, instead of refusing the file.</summary>
    public bool CatalogEmbeddingsNormalise { get; set; }

    /// <summary>Where catalog embeddings are kept between runs. Default: .data/embeddings in the repository.</summary>
    public string? EmbeddingStorePath { get; set; }

    /// <summary>
    /// Load the catalog's embeddings (and HNSW graph) from an index snapshot when one matches the catalog's
    /// content, model and dimension, and save one after computing them: the <c>index-snapshots</c> blob
    /// container on Azure Storage, <see cref="IndexSnapshotPath"/> on the embedded default.
    /// </summary>
    public bool IndexSnapshots { get; set; } = true;

    /// <summary>The embedded default's snapshot folder. Default: .data/index-snapshots in the repository.</summary>
    public string? IndexSnapshotPath { get; set; }

    public BackendMode Backend { get; set; } = BackendMode.Auto;

    /// <summary>
    /// The embedding model (docs/search-quality.md compares them on the judged set). The default is MiniLM with int8
    /// weights: as good as the float model on both halves of the judged set, and 2.5× faster per query on the CPU.
    /// </summary>
    public Embedding.EmbeddingModel EmbeddingModel { get; set; } = Embedding.EmbeddingModel.MiniLMInt8;

    /// <summary>
    /// How many texts share one model run of the int8 model (a batch's texts are split into runs of at most this
    /// many, spread over the cores). Sharing a run cuts its fixed costs per text; fewer, fuller runs leave less
    /// parallelism to one batch (docs/performance.md, "Texts share a model run").
    /// </summary>
    public int TextsPerModelRun { get; set; } = Embedding.OnnxSentenceEncoder.DefaultTextsPerRun;

    /// <summary>Vector storage of the CPU backend: <c>Float32</c> (exact scores) or <c>Int8</c> (¼ of the memory; recall@10 0.96–0.997, docs/performance.md).</summary>
    public VectorSearch.Exact.VectorStorage CpuVectorStorage { get; set; } = VectorSearch.Exact.VectorStorage.Float32;

    /// <summary>
    /// How many batches the engine searches at once; more wait. A batch's embedding runs on every core, but its
    /// planning, search, enrichment and ranking run on one: with one batch at a time, 18 % of two cores stood idle
    /// under 16 concurrent connections. With two, one batch embeds while the other finishes, and the runner keeps
    /// as many batches in flight (<c>Runner:BatchesInFlight</c>). Memory grows with it: one batch's working set each.
    /// </summary>
    public int ConcurrentBatches { get; set; } = 2;

    /// <summary>Bound on the query-embedding cache, in entries (one entry ≈ 1.6 KB).</summary>
    public int QueryEmbeddingCacheEntries { get; set; } = 10_000;

    public ScoringWeights Ranking { get; set; } = new();

    /// <summary><c>Hybrid</c> (dense and BM25 candidates, default) or <c>Dense</c> (the vector index only).</summary>
    public RetrievalMode Retrieval { get; set; } = RetrievalMode.Hybrid;

    /// <summary>Exact search below <c>VectorIndex:ExactThreshold</c> rows, HNSW above (<c>VectorIndex:Hnsw:*</c> tunes the graph).</summary>
    public VectorSearch.VectorIndexOptions VectorIndex { get; set; } = new();

    /// <summary>Where vectors are kept and searched: <c>Embedded</c> (this process, the default) or <c>Milvus</c> (settings under <c>MediaGateway:Milvus</c>).</summary>
    public VectorStores.VectorStoreKind VectorStore { get; set; } = VectorStores.VectorStoreKind.Embedded;

    /// <summary>Where the ontology is read: <c>Embedded</c> (the shipped file in memory, the default) or <c>Neo4j</c> (loaded from that file into Neo4j at start; settings under <c>MediaGateway:Neo4j</c>).</summary>
    public Ontology.OntologyStoreKind OntologyStore { get; set; } = Ontology.OntologyStoreKind.Embedded;

    /// <summary>The catalog's name in a server store (its partition key). Default: the catalog file's name, e.g. "movies".</summary>
    public string? CatalogName { get; set; }

    /// <summary>A catalog name from its file: letters, digits, '_' and '-' only, at most 64 characters.</summary>
    public static string CatalogNameFor(string catalogPath)
    {
        var name = new string(Path.GetFileNameWithoutExtension(catalogPath).Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_').ToArray());
        return name.Length == 0 ? "catalog" : name[..Math.Min(64, name.Length)];
    }

    /// <summary>Finds the demo catalog in node_modules (installed by <c>npm ci</c>), searching up from here.</summary>
    public static string? FindDemoCatalog() =>
        FindUpwards(Path.Combine("node_modules", "vega-datasets", "data", "movies.json"));

    /// <summary>The repository root (the folder holding MediaGateway.sln), if running inside a checkout.</summary>
    public static string? FindRepositoryRoot() =>
        FindUpwards("MediaGateway.sln") is { } sln ? Path.GetDirectoryName(sln) : null;

    private static string? FindUpwards(string relative)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relative);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }
}
