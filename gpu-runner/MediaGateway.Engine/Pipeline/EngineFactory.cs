using System.Diagnostics;
using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Catalog.Embeddings;
using MediaGateway.Engine.Embedding;
using MediaGateway.Engine.Kernels;
using MediaGateway.Engine.Lexical;
using MediaGateway.Engine.Ontology;
using MediaGateway.Engine.Query;
using MediaGateway.Engine.Ranking;
using MediaGateway.Engine.Snapshots;
using MediaGateway.Engine.VectorSearch;
using MediaGateway.Engine.VectorStores;
using Microsoft.Extensions.Logging;

namespace MediaGateway.Engine.Pipeline;

/// <summary>What start-up is doing, for progress output and for the health endpoint.</summary>
public sealed record EngineStartupProgress(string Stage, int Done, int Total);

/// <summary>
/// Builds a ready <see cref="SearchEngine"/>: imports the catalog, embeds it (reusing stored vectors),
/// chooses the kernel backend, loads the index (or connects to the vector store server and syncs the
/// catalog's vectors into it) and warms it with one search.
/// </summary>
/// <param name="connectors">Server stores that <see cref="EngineOptions.VectorStore"/> may name (Milvus); none needed for the embedded store.</param>
/// <param name="ontologyConnectors">Server ontology stores that <see cref="EngineOptions.OntologyStore"/> may name (Neo4j).</param>
/// <param name="snapshotStore">
/// Where computed embeddings (and the HNSW graph) are shared between starts and replicas (the <c>index-snapshots</c>
/// container, or a local folder); null: always compute (with the local per-text <see cref="EmbeddingStore"/>).
/// </param>
public sealed class EngineFactory(IEmbedder embedder, KernelBackendSelector backends, ILoggerFactory loggerFactory,
    IEnumerable<IVectorStoreConnector>? connectors = null, IEnumerable<IOntologyStoreConnector>? ontologyConnectors = null,
    IIndexSnapshotStore? snapshotStore = null)
{
    /// <summary>Records per write when syncing a catalog into a server store (the store batches further as it needs).</summary>
    private const int SyncBatch = 1_000;

    private readonly ILogger _logger = loggerFactory.CreateLogger<EngineFactory>();

    public async Task<SearchEngine> CreateAsync(EngineOptions options, IProgress<EngineStartupProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var catalogPath = options.CatalogPath ?? EngineOptions.FindDemoCatalog()
            ?? throw new FileNotFoundException("No catalog configured and the demo catalog was not found. Run 'npm ci' in the repository (it installs vega-datasets), or set MediaGateway:Engine:CatalogPath.");
        var import = new CatalogImporter().ImportFile(catalogPath);
        _logger.LogInformation("Imported {Imported} of {Read} catalog records from {Path} ({Flagged} flagged, {Rejected} rejected)",
            import.Report.Imported, import.Report.Read, catalogPath, import.Report.Flagged, import.Report.Rejected.Count);
        foreach (var rejected in import.Report.Rejected.Take(10)) _logger.LogWarning("Catalog record rejected: {Reason}", rejected);
        var precomputed = options.CatalogEmbeddingsPath is { } embeddingsPath ? ReadCatalogEmbeddings(embeddingsPath, import, options.CatalogEmbeddingsNormalise) : null;
        return await CreateAsync(options, import.Items, catalogPath, progress, cancellationToken, precomputed).ConfigureAwait(false);
    }

    /// <summary>
    /// An engine over <paramref name="items"/> (a catalog import swaps one in while the old one serves): embeds what
    /// the embedding store does not hold yet, builds the index, warms up. <paramref name="catalogPath"/> names the
    /// catalog in a server vector store.
    /// </summary>
    /// <param name="precomputed">The catalog's vectors from an embeddings file (row i for item i), or null to embed.</param>
    public async Task<SearchEngine> CreateAsync(EngineOptions options, IReadOnlyList<CatalogItem> items, string catalogPath,
        IProgress<EngineStartupProgress>? progress = null, CancellationToken cancellationToken = default, PrecomputedEmbeddings? precomputed = null)
    {
        var clock = Stopwatch.StartNew();
        var catalog = new InMemoryCatalogStore(items);

        var storePath = options.EmbeddingStorePath
            ?? Path.Combine(EngineOptions.FindRepositoryRoot() ?? Path.GetTempPath(), ".data", "embeddings");
        var embedProgress = new Progress<EmbeddingProgress>(p => progress?.Report(new EngineStartupProgress("embedding catalog", p.Done, p.Total)));
        var catalogEmbedder = new CatalogEmbedder(embedder, new EmbeddingStore(storePath));
        var snapshots = snapshotStore is null ? null : new IndexSnapshots(snapshotStore, _logger);
        // Precomputed vectors get their own snapshot key (the file, not the model, made them), so neither kind of
        // snapshot can stand in for the other.
        var catalogKey = SnapshotKey.For("catalog", catalog.Items.Select(i => i.EmbeddingText).ToArray(),
            precomputed is null ? embedder.ModelId : $"{embedder.ModelId}+file-{precomputed.Identity}", embedder.Dimension);
        var catalogSnapshot = snapshots is null ? null : await snapshots.TryLoadAsync(catalogKey, cancellationToken).ConfigureAwait(false);
        if (precomputed is not null && precomputed.Vectors.Length != (long)catalog.Count * embedder.Dimension)
            throw new ArgumentException($"Precomputed embeddings hold {precomputed.Vectors.Length} floats, the catalog needs {catalog.Count} × {embedder.Dimension}.", nameof(precomputed));
        var matrix = precomputed?.Vectors ?? catalogSnapshot?.Vectors
            ?? await Task.Run(() => catalogEmbedder.EmbedCatalog(catalog.Items, embedProgress, cancellationToken), cancellationToken).ConfigureAwait(false);

        // The ontology and the query planner: label vectors are embedded once (and stored) with the same model.
        // With OntologyStore=Neo4j the shipped file is loaded into Neo4j (idempotently) and read back from there.
        var ontology = await OpenOntologyAsync(options, catalogPath, catalog.Items, progress, cancellationToken).ConfigureAwait(false);
        var labels = new ConceptLabels(ontology);
        var labelKey = SnapshotKey.For("concept-labels", labels.LabelTexts, embedder.ModelId, embedder.Dimension);
        var labelSnapshot = snapshots is null ? null : await snapshots.TryLoadAsync(labelKey, cancellationToken).ConfigureAwait(false);
        var labelVectors = labelSnapshot?.Vectors
            ?? await Task.Run(() => catalogEmbedder.EmbedTexts(labels.LabelTexts, embedder.ModelId + "+concept-labels", null, cancellationToken), cancellationToken).ConfigureAwait(false);
        labels.UseVectors(labelVectors, embedder.Dimension);
        var planner = new QueryPlanner(catalog, new CatalogIndex(catalog), ontology, labels);
        _logger.LogInformation("Ontology: {Concepts} concepts, {Labels} labels, {Store} store", ontology.Concepts.Count, labels.LabelTexts.Count, ontology.Kind);

        var choice = backends.Select(options.Backend, embedder.Dimension, options.CpuVectorStorage);
        _logger.LogInformation("Kernel backend: {Backend} ({Reason})", choice.Backend.Name, choice.Reason);
        IVectorIndex? index = null;
        IVectorStore? serverStore = null;
        if (options.VectorStore == VectorStoreKind.Embedded)
        {
            index = await CreateEmbeddedIndexAsync(choice.Backend, matrix, catalog.Count, options.VectorIndex, snapshots, catalogKey, catalogSnapshot, cancellationToken).ConfigureAwait(false);
            if (choice.Backend is Kernels.Cuda.CudaKernelBackend cuda)
                _logger.LogInformation("CUDA tensor-core kernel for {BatchKernel}", cuda.BatchKernel);
        }
        else
        {
            if (snapshots is not null && catalogSnapshot is null)
                await snapshots.SaveAsync(new IndexSnapshot { Key = catalogKey, Vectors = matrix }, cancellationToken).ConfigureAwait(false);
            var records = catalog.Items.Select((item, row) => new VectorRecord(item, matrix.AsMemory(row * embedder.Dimension, embedder.Dimension))).ToArray();
            serverStore = await OpenServerStoreAsync(options, catalogPath, records, progress, cancellationToken).ConfigureAwait(false);
        }
        if (snapshots is not null && labelSnapshot is null)
            await snapshots.SaveAsync(new IndexSnapshot { Key = labelKey, Vectors = labelVectors }, cancellationToken).ConfigureAwait(false);
        var engine = new SearchEngine(catalog, index, embedder, planner, matrix, choice.Backend.Name,
            new RankStage(choice.Backend, options.Ranking, loggerFactory.CreateLogger<RankStage>()), options.QueryEmbeddingCacheEntries, loggerFactory.CreateLogger<SearchEngine>(),
            options.Retrieval == RetrievalMode.Hybrid ? new Bm25Index(catalog) : null, serverStore, ontology, options.ConcurrentBatches)
        {
            BackendReason = choice.Reason,
            CatalogVersion = CatalogVersion.Of(catalog.Items, embedder.ModelId),
            BatchKernel = index is not null && choice.Backend is Kernels.Cuda.CudaKernelBackend loaded ? loaded.BatchKernel : null,
        };

        // Warm-up: the first model run and first kernel call pay one-off costs; pay them before traffic does.
        await engine.SearchAsync([new EngineQuery("warm-up", new SearchRequest { Query = "warm up", Limit = 1 })], cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Engine ready in {Seconds:F1} s: {Items} items, model {Model}, backend {Backend}, {Store} vector store, {Index} index, rank stage on {RankDevice}",
            clock.Elapsed.TotalSeconds, catalog.Count, embedder.ModelId, choice.Backend.Name, engine.VectorStoreKind, engine.IndexKind, engine.RankDevice);
        return engine;
    }

    private async Task<IOntologyStore> OpenOntologyAsync(EngineOptions options, string catalogPath, IReadOnlyList<Catalog.CatalogItem> items,
        IProgress<EngineStartupProgress>? progress, CancellationToken cancellationToken)
    {
        var shipped = ConceptGraph.LoadEmbedded();
        if (options.OntologyStore == OntologyStoreKind.Embedded) return shipped;
        var connector = ontologyConnectors?.FirstOrDefault(c => c.Kind == options.OntologyStore)
            ?? throw new InvalidOperationException($"MediaGateway:Engine:OntologyStore is {options.OntologyStore}, but no {options.OntologyStore} connector is registered in this host.");
        progress?.Report(new EngineStartupProgress($"loading the ontology into {options.OntologyStore}", 0, shipped.Concepts.Count));
        return await connector.OpenAsync(shipped, options.CatalogName ?? EngineOptions.CatalogNameFor(catalogPath), items, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Exact below <c>VectorIndex:ExactThreshold</c> rows (50k by default), HNSW above (docs/performance.md). A graph
    /// from the snapshot goes through the index factory's own file check (it must hold exactly these vectors); a
    /// snapshot is saved when something had to be computed: the vectors, or a graph the snapshot lacked.
    /// </summary>
    /// <summary>
    /// The catalog's vectors from a precomputed embeddings file (memory-mapped, checked, copied row by row into
    /// the engine's matrix): one row per record of the catalog file, the rows of rejected records skipped.
    /// </summary>
    private PrecomputedEmbeddings ReadCatalogEmbeddings(string path, CatalogImportResult import, bool normalise)
    {
        var clock = Stopwatch.StartNew();
        using var file = EmbeddingsFile.Open(path, embedder.Dimension);
        if (file.Rows != import.Report.Read)
            throw new InvalidDataException($"Embeddings file '{path}' has {file.Rows} rows, but the catalog has {import.Report.Read} records; row i must be the embedding of record i.");
        var vectors = file.ToMatrix(import.SourceRecords, normalise);
        _logger.LogInformation("Read {Rows} precomputed {Type} embeddings × {Dimension} from {Path} in {Seconds:F1} s (not re-embedded)",
            import.Items.Count, file.ElementType, file.Dimension, path, clock.Elapsed.TotalSeconds);
        var info = new FileInfo(path);
        if (info.LinkTarget is not null) info = (FileInfo)info.ResolveLinkTarget(returnFinalTarget: true)!;
        return new PrecomputedEmbeddings(vectors, $"{info.Length:x}-{info.LastWriteTimeUtc.Ticks:x}");
    }

    private static async Task<IVectorIndex> CreateEmbeddedIndexAsync(IKernelBackend backend, float[] matrix, int rows, VectorIndexOptions indexOptions,
        IndexSnapshots? snapshots, SnapshotKey key, IndexSnapshot? loaded, CancellationToken cancellationToken)
    {
        if (snapshots is null) return VectorIndexFactory.Create(backend, matrix, rows, key.Dimension, indexOptions);
        // The factory loads and saves graphs through a file: a temporary one unless VectorIndex:HnswPath names one.
        string? graphFile = null;
        if (indexOptions.HnswPath is null)
        {
            graphFile = Path.Combine(Path.GetTempPath(), $"mg-hnsw-{Guid.NewGuid():N}.bin");
            indexOptions = indexOptions with { HnswPath = graphFile };
        }
        try
        {
            if (loaded?.Graph is { } graph) await File.WriteAllBytesAsync(indexOptions.HnswPath!, graph, cancellationToken).ConfigureAwait(false);
            var index = VectorIndexFactory.Create(backend, matrix, rows, key.Dimension, indexOptions);
            var newGraph = index is VectorSearch.Hnsw.HnswIndex && loaded?.Graph is null && File.Exists(indexOptions.HnswPath);
            if (loaded is null || newGraph)
            {
                var graphBytes = newGraph ? await File.ReadAllBytesAsync(indexOptions.HnswPath!, cancellationToken).ConfigureAwait(false) : null;
                await snapshots.SaveAsync(new IndexSnapshot { Key = key, Vectors = matrix, Graph = graphBytes }, cancellationToken).ConfigureAwait(false);
            }
            return index;
        }
        finally
        {
            if (graphFile is not null) File.Delete(graphFile);
        }
    }

    /// <summary>
    /// Connects to the configured server store (which checks the server, the collection's schema and its
    /// dimension) and, when the server does not hold exactly this catalog's count of vectors, upserts them all
    /// (idempotent by id) and deletes none: a sync, not a mirror.
    /// </summary>
    private async Task<IVectorStore> OpenServerStoreAsync(EngineOptions options, string catalogPath, VectorRecord[] records,
        IProgress<EngineStartupProgress>? progress, CancellationToken cancellationToken)
    {
        var connector = connectors?.FirstOrDefault(c => c.Kind == options.VectorStore)
            ?? throw new InvalidOperationException($"MediaGateway:Engine:VectorStore is {options.VectorStore}, but no {options.VectorStore} connector is registered in this host.");
        var catalogName = options.CatalogName ?? EngineOptions.CatalogNameFor(catalogPath);
        var store = await connector.OpenAsync(catalogName, embedder.Dimension, cancellationToken).ConfigureAwait(false);
        var held = await store.CountAsync(null, cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("{Store} holds {Held} vectors for catalog {Catalog}; the catalog has {Items}", store.Kind, held, catalogName, records.Length);
        if (held != records.Length)
        {
            for (var start = 0; start < records.Length; start += SyncBatch)
            {
                var batch = records.AsSpan(start, Math.Min(SyncBatch, records.Length - start)).ToArray();
                await store.UpsertAsync(batch, cancellationToken).ConfigureAwait(false);
                progress?.Report(new EngineStartupProgress($"syncing vectors to {store.Kind}", start + batch.Length, records.Length));
            }
        }
        return store;
    }
}
