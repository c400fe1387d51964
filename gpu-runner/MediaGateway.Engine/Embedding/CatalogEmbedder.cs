using MediaGateway.Engine.Catalog;

namespace MediaGateway.Engine.Embedding;

/// <summary>Progress of catalog embedding: how many items have vectors out of how many.</summary>
public readonly record struct EmbeddingProgress(int Done, int Total, int FromStore);

/// <summary>Embeds a catalog, reusing stored vectors for unchanged texts and storing the new ones.</summary>
public sealed class CatalogEmbedder(IEmbedder embedder, EmbeddingStore? store)
{
    private const int ProgressChunk = 256;

    /// <summary>Returns a row-major matrix: row i is the embedding of item i.</summary>
    public float[] EmbedCatalog(IReadOnlyList<CatalogItem> items, IProgress<EmbeddingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var dim = embedder.Dimension;
        var known = store?.Load(embedder.ModelId, dim) ?? [];
        var matrix = new float[items.Count * dim];
        var keys = items.Select(i => EmbeddingStore.KeyOf(i.EmbeddingText)).ToArray();
        var missing = new List<int>();
        for (var i = 0; i < items.Count; i++)
        {
            if (known.TryGetValue(keys[i], out var v)) v.CopyTo(matrix, i * dim);
            else missing.Add(i);
        }
        var fromStore = items.Count - missing.Count;
        progress?.Report(new EmbeddingProgress(fromStore, items.Count, fromStore));

        for (var start = 0; start < missing.Count; start += ProgressChunk)
        {
            var chunk = missing.GetRange(start, Math.Min(ProgressChunk, missing.Count - start));
            var vectors = embedder.Embed(chunk.Select(i => items[i].EmbeddingText).ToArray(), cancellationToken);
            for (var j = 0; j < chunk.Count; j++)
            {
                vectors[j].CopyTo(matrix, chunk[j] * dim);
                known[keys[chunk[j]]] = vectors[j];
            }
            progress?.Report(new EmbeddingProgress(fromStore + start + chunk.Count, items.Count, fromStore));
        }

        if (missing.Count > 0 && store is not null)
        {
            // Keep only what the current catalog uses, so the store does not grow without bound.
            var current = keys.Distinct().ToDictionary(k => k, k => known[k]);
            store.Save(embedder.ModelId, dim, current);
        }
        return matrix;
    }
}
