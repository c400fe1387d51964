using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Embedding;
using MediaGateway.Engine.Pipeline;

namespace MediaGateway.Benchmarks;

/// <summary>
/// Real embeddings for the benchmark: the 3,201-film demo catalog embedded as the engine embeds it, and
/// the titles of every 10th film (a short text, not the full embedding text) as queries.
/// </summary>
internal static class CatalogVectors
{
    public static int Write(string outDir)
    {
        var path = EngineOptions.FindDemoCatalog() ?? throw new FileNotFoundException("Demo catalog not found: run 'npm ci' in the repository.");
        var items = new CatalogImporter().ImportFile(path).Items;
        using var embedder = new MiniLmEmbedder(intraOpThreads: 2);
        var store = new EmbeddingStore(Path.Combine(EngineOptions.FindRepositoryRoot() ?? Path.GetTempPath(), ".data", "embeddings"));
        var matrix = new CatalogEmbedder(embedder, store).EmbedCatalog(items);
        var titles = items.Where((_, i) => i % 10 == 0).Select(item => item.Title).ToArray();
        var queries = embedder.Embed(titles).SelectMany(v => v).ToArray();
        Directory.CreateDirectory(outDir);
        Npy.WriteFloat32(Path.Combine(outDir, "base.npy"), matrix, items.Count, embedder.Dimension);
        Npy.WriteFloat32(Path.Combine(outDir, "queries.npy"), queries, titles.Length, embedder.Dimension);
        Console.Error.WriteLine($"[ours] catalog: {items.Count} films, {titles.Length} title queries -> {outDir}");
        return 0;
    }
}
