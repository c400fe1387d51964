using MediaGateway.Engine.Catalog;

namespace MediaGateway.Engine.Embedding;

/// <summary>Progress of catalog embedding: how many items have vectors out of how many.</summary>
public readonly record struct EmbeddingProgress(int Done, int Total, int FromStore);

/// <summary>Embeds a catalog, reusing stored vectors for unchanged texts and storing the new ones.</summary>
public sealed class CatalogEmbedder(IEmbedder embedder, EmbeddingStore? store)
{
    private const int ProgressChunk = 256;

    /// <summary>Vectors kept per store key beyond the current catalog's (50,000 × 384 floats ≈ 77 MB on disk).</summary>
    public const int MaxStoredVectors = 50_000;

    /// <summary>Returns a row-major matrix: row i is the embedding of item i.</summary>
    public float[] EmbedCatalog(IReadOnlyList<CatalogItem> items, IProgress<EmbeddingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        EmbedTexts(items.Select(i => i.EmbeddingText).ToArray(), embedder.ModelId, progress, cancellationToken);

    /// <summary>
    /// Embeds any texts the same way, stored under <paramref name="storeKey"/> (the model id for the catalog;
    /// the model id plus a suffix for other sets, such as the ontology's concept labels).
    /// </summary>
    public float[] EmbedTexts(IReadOnlyList<string> texts, string storeKey, IProgress<EmbeddingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var dim = embedder.Dimension;
        var known = store?.Load(storeKey, dim) ?? [];
        var matrix = new float[texts.Count * dim];
        var keys = texts.Select(EmbeddingStore.KeyOf).ToArray();
        var missing = new List<int>();
        for (var i = 0; i < texts.Count; i++)
        {
            if (known.TryGetValue(keys[i], out var v)) v.CopyTo(matrix, i * dim);
            else missing.Add(i);
        }
        var fromStore = texts.Count - missing.Count;
        progress?.Report(new EmbeddingProgress(fromStore, texts.Count, fromStore));

        for (var start = 0; start < missing.Count; start += ProgressChunk)
        {
            var chunk = missing.GetRange(start, Math.Min(ProgressChunk, missing.Count - start));
            var vectors = embedder.Embed(chunk.Select(i => texts[i]).ToArray(), cancellationToken);
            for (var j = 0; j < chunk.Count; j++)
            {
                vectors[j].CopyTo(matrix, chunk[j] * dim);
                known[keys[chunk[j]]] = vectors[j];
            }
            progress?.Report(new EmbeddingProgress(fromStore + start + chunk.Count, texts.Count, fromStore));
        }

        if (missing.Count > 0 && store is not null)
        {
            // Keep what the current catalog uses and, up to MaxStoredVectors in all, what earlier catalogs used: after
            // a catalog import, going back to the previous catalog (or restarting on it) embeds nothing again, and the
            // store still cannot grow without bound.
            var kept = keys.Distinct().ToDictionary(k => k, k => known[k]);
            foreach (var (key, vector) in known)
            {
                if (kept.Count >= MaxStoredVectors) break;
                kept.TryAdd(key, vector);
            }
            store.Save(storeKey, dim, kept);
        }
        return matrix;
    }
}
