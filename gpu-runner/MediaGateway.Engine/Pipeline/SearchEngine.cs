using System.Diagnostics;
using System.Numerics.Tensors;
using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Embedding;
using MediaGateway.Engine.Ontology;
using MediaGateway.Engine.Ranking;
using MediaGateway.Engine.VectorSearch;
using MediaGateway.Engine.VectorStores;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;

namespace MediaGateway.Engine.Pipeline;

/// <summary>One search to run: the job it belongs to and its (validated, normalised) request.</summary>
public sealed record EngineQuery(string JobId, SearchRequest Request);

/// <summary>
/// The search pipeline: text → embedding → vector search → ontology enrichment → ranking → explained results.
/// A batch of queries is embedded in one model call and searched in one kernel call; each stage is timed.
/// </summary>
public sealed class SearchEngine
{
    /// <summary>Ranking re-orders candidates, so more are fetched than returned.</summary>
    private const int CandidateFactor = 4, MinCandidates = 50;

    private readonly ICatalogStore _catalog;
    private readonly IVectorStore _store;
    private readonly IEmbedder _embedder;
    private readonly Enricher _enricher;
    private readonly ScoringWeights _weights;
    private readonly MemoryCache _queryEmbeddings;
    private readonly ILogger _logger;
    // One batch at a time: the kernels already use every core, and this bounds memory under load.
    private readonly SemaphoreSlim _oneBatch = new(1, 1);

    /// <param name="store">The catalog's vectors; its ids are <paramref name="catalog"/>'s ids.</param>
    public SearchEngine(ICatalogStore catalog, IVectorStore store, IEmbedder embedder, IOntologyStore ontology,
        string backendName, ScoringWeights? weights = null, int queryEmbeddingCacheEntries = 10_000, ILogger? logger = null)
    {
        (_catalog, _store, _embedder, _enricher, BackendName) = (catalog, store, embedder, new Enricher(ontology, catalog), backendName);
        _weights = weights ?? new ScoringWeights();
        _queryEmbeddings = new MemoryCache(new MemoryCacheOptions { SizeLimit = queryEmbeddingCacheEntries });
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    public string BackendName { get; }
    public string? BackendReason { get; init; }
    public string ModelId => _embedder.ModelId;
    /// <summary>"exact" or "hnsw" (embedded, chosen by catalog size, see VectorIndexOptions), or the server's index.</summary>
    public string IndexKind => _store.IndexKind;

    /// <summary>Where the vectors live: "embedded" or "milvus".</summary>
    public string VectorStoreKind => _store.Kind;

    /// <summary>The vector store's state and latency, for the runner's health report.</summary>
    public Task<DependencyCheck> CheckVectorStoreAsync(CancellationToken cancellationToken = default) => _store.CheckAsync(cancellationToken);
    public int CatalogCount => _catalog.Count;

    public async Task<IReadOnlyList<SearchResponse>> SearchAsync(IReadOnlyList<EngineQuery> batch, CancellationToken cancellationToken = default)
    {
        await _oneBatch.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await SearchBatchAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _oneBatch.Release();
        }
    }

    private async Task<List<SearchResponse>> SearchBatchAsync(IReadOnlyList<EngineQuery> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0) return [];
        var clock = Stopwatch.StartNew();
        var analyses = batch.Select(q => _enricher.Analyze(q.Request.Query!)).ToArray();
        var references = analyses.Select(ReferenceRow).ToArray();
        var queries = EmbedQueries(batch.Select(q => q.Request.Query!).ToArray(), references, cancellationToken);
        var embedMs = Lap(clock);

        // Per-query store calls (counts) run concurrently: a server store pays one round trip for all of them.
        var filters = await Task.WhenAll(batch.Select((q, i) => ConstrainAsync(CatalogFilter.ToVectorFilter(q.Request.Filters), analyses[i], references[i],
            q.Request.Limit ?? SearchLimits.DefaultLimit, cancellationToken))).ConfigureAwait(false);
        var allowed = await Task.WhenAll(filters.Select(f => f is null ? Task.FromResult((long)_catalog.Count) : _store.CountAsync(f, cancellationToken))).ConfigureAwait(false);
        var maxLimit = batch.Max(q => q.Request.Limit ?? SearchLimits.DefaultLimit);
        var k = Math.Min(_catalog.Count, Math.Max(maxLimit * CandidateFactor, MinCandidates));
        var matches = k == 0 ? batch.Select(_ => Array.Empty<VectorMatch>()).ToArray()
            : await _store.SearchAsync(queries, batch.Count, k, filters, cancellationToken).ConfigureAwait(false);
        var candidates = matches.Select(ToRows).ToArray();
        var searchMs = Lap(clock);

        var enriched = new (ScoredRow Row, Enrichment Enrichment)[batch.Count][];
        for (var i = 0; i < batch.Count; i++)
        {
            var analysis = analyses[i];
            enriched[i] = candidates[i].Select(c => (c, _enricher.Enrich(analysis, _catalog[c.Row]))).ToArray();
        }
        var enrichMs = Lap(clock);

        var responses = new List<SearchResponse>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var limit = batch[i].Request.Limit ?? SearchLimits.DefaultLimit;
            var hits = enriched[i].Select(e => ToHit(e.Row, e.Enrichment))
                .OrderByDescending(h => h.Score).ThenBy(h => h.Id, StringComparer.Ordinal).Take(limit).ToArray();
            responses.Add(new SearchResponse
            {
                JobId = batch[i].JobId,
                Query = batch[i].Request.Query!,
                Results = hits,
                Candidates = (int)allowed[i],
                Backend = BackendName,
                CompletedAt = DateTimeOffset.UtcNow,
            });
        }
        var rankMs = Lap(clock);

        var timings = new StageTimings { Embed = embedMs, Search = searchMs, Enrich = enrichMs, Rank = rankMs, BatchSize = batch.Count };
        _logger.LogInformation("Searched a batch of {BatchSize}: embed {EmbedMs:F1} ms, search {SearchMs:F1} ms, enrich {EnrichMs:F1} ms, rank {RankMs:F1} ms on {Backend}",
            batch.Count, embedMs, searchMs, enrichMs, rankMs, BackendName);
        return responses.Select(r => r with { TimingsMs = timings }).ToList();
    }

    private SearchHit ToHit(ScoredRow row, Enrichment enrichment)
    {
        var item = _catalog[row.Row];
        var quality = Scoring.QualityPrior((float)(item.ImdbRating ?? 0), item.ImdbVotes ?? 0);
        var score = Scoring.Combine(_weights, row.Score, enrichment.OntologyMatch, quality, 0f);
        return new SearchHit
        {
            Id = item.Id,
            Title = item.Title,
            Year = item.Year,
            Score = Math.Round(score, 4),
            MatchedFields = enrichment.MatchedFields,
            Genre = item.Genres.Count > 0 ? string.Join(", ", item.Genres) : null,
            CreativeType = item.CreativeType,
            Director = item.Director,
            MpaaRating = item.MpaaRating,
            RuntimeMinutes = item.RuntimeMinutes,
            ImdbRating = item.ImdbRating,
            Explanation = new ScoreBreakdown
            {
                Similarity = Math.Round(row.Score, 4),
                OntologyMatch = Math.Round(enrichment.OntologyMatch, 4),
                QualityPrior = Math.Round(quality, 4),
                Reasons = enrichment.Reasons,
            },
        };
    }

    /// <summary>The catalog row a "more like X" query refers to, if any.</summary>
    private int? ReferenceRow(Enricher.QueryAnalysis analysis) =>
        analysis.Concepts.FirstOrDefault(c => c.Field == "similarTo") is { } c && _catalog.TryGetRow(c.Value, out var row) ? row : null;

    /// <summary>
    /// Narrows the request's filter by what the words insist on: "more like X" never answers X itself, and
    /// concepts after "but" ("…, but for kids") must hold, unless fewer than <paramref name="limit"/> items
    /// have them, in which case they only rank.
    /// </summary>
    private async Task<VectorFilter?> ConstrainAsync(VectorFilter? filter, Enricher.QueryAnalysis analysis, int? reference, int limit, CancellationToken cancellationToken)
    {
        var required = analysis.Concepts.Where(c => c.Required && c.Field != "similarTo").Select(CatalogFilter.ForConcept).OfType<FilterClause>().ToArray();
        if (reference is null && required.Length == 0) return filter;
        FilterClause[] notReference = reference is { } row ? [new ExcludeIdsClause([_catalog[row].Id])] : [];
        if (required.Length > 0)
        {
            var strict = VectorFilter.And(filter, notReference.Concat(required))!;
            if (await _store.CountAsync(strict, cancellationToken).ConfigureAwait(false) >= limit) return strict;
        }
        return VectorFilter.And(filter, notReference);
    }

    /// <summary>Matches back to catalog rows; an id the catalog no longer has (a store not yet synced) is dropped.</summary>
    private ScoredRow[] ToRows(VectorMatch[] matches)
    {
        var rows = new List<ScoredRow>(matches.Length);
        foreach (var m in matches)
        {
            if (_catalog.TryGetRow(m.Id, out var row)) rows.Add(new ScoredRow(row, m.Score));
            else _logger.LogWarning("The vector store returned id {Id}, which the catalog does not hold; it is skipped", m.Id);
        }
        return rows.ToArray();
    }

    /// <summary>
    /// Embeds the queries, one model call for all that are not in the bounded cache. A "more like X" query
    /// is moved halfway towards X's own embedding, so the search looks around X in the words' direction.
    /// Returns a row-major matrix.
    /// </summary>
    private float[] EmbedQueries(string[] texts, int?[] references, CancellationToken cancellationToken)
    {
        var referenceTexts = references.Select(r => r is { } row ? _catalog[row].EmbeddingText : null).ToArray();
        var matrix = EmbedTexts(texts.Concat(referenceTexts.OfType<string>()).ToArray(), cancellationToken);
        var dim = _embedder.Dimension;
        var next = texts.Length;
        for (var i = 0; i < texts.Length; i++)
        {
            if (referenceTexts[i] is null) continue;
            var query = matrix.AsSpan(i * dim, dim);
            TensorPrimitives.Add(query, matrix.AsSpan(next++ * dim, dim), query);
            var norm = TensorPrimitives.Norm(query);
            if (norm > 1e-6f) TensorPrimitives.Divide(query, norm, query);
        }
        return matrix[..(texts.Length * dim)];
    }

    private float[] EmbedTexts(string[] texts, CancellationToken cancellationToken)
    {
        var dim = _embedder.Dimension;
        var matrix = new float[texts.Length * dim];
        var missing = new List<int>();
        for (var i = 0; i < texts.Length; i++)
        {
            if (_queryEmbeddings.TryGetValue(texts[i], out float[]? v) && v is not null) v.CopyTo(matrix, i * dim);
            else missing.Add(i);
        }
        if (missing.Count == 0) return matrix;
        var distinct = missing.Select(i => texts[i]).Distinct().ToArray();
        var vectors = _embedder.Embed(distinct, cancellationToken);
        for (var j = 0; j < distinct.Length; j++)
            _queryEmbeddings.Set(distinct[j], vectors[j], new MemoryCacheEntryOptions { Size = 1 });
        var byText = distinct.Zip(vectors).ToDictionary(p => p.First, p => p.Second);
        foreach (var i in missing) byText[texts[i]].CopyTo(matrix, i * dim);
        return matrix;
    }

    private static double Lap(Stopwatch clock)
    {
        var ms = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        return Math.Round(ms, 2);
    }
}
