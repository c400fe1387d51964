using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Embedding;
using MediaGateway.Engine.Lexical;
using MediaGateway.Engine.Query;
using MediaGateway.Engine.Kernels.Cuda;
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
    /// <summary>How many BM25 rows join the dense candidates of each query.</summary>
    private const int LexicalCandidates = 20;
    /// <summary>How many rows each soft preference adds to the candidates, for at most this many preferences.</summary>
    private const int PreferredCandidates = 20, MaxPreferencesFetched = 4;

    private readonly ICatalogStore _catalog;
    private readonly IVectorIndex? _index;
    private readonly IVectorStore? _serverStore;
    private readonly IEmbedder _embedder;
    private readonly QueryPlanner _planner;
    private readonly Enricher _enricher;
    private readonly float[] _catalogVectors;
    private readonly Bm25Index? _lexical;
    private readonly RankStage _rank;
    private readonly MemoryCache _queryEmbeddings;
    private readonly ILogger _logger;
    // One batch at a time: the kernels already use every core, and this bounds memory under load.
    private readonly SemaphoreSlim _oneBatch = new(1, 1);

    /// <param name="catalogVectors">The catalog's embeddings, row-major (row i = item i): "more like X" reads X's vector here instead of embedding X again.</param>
    /// <param name="index">The in-process index over the catalog's rows (VectorStore=Embedded); null when <paramref name="serverStore"/> answers.</param>
    /// <param name="lexical">The BM25 index whose candidates join the dense ones (hybrid retrieval); null for dense only.</param>
    /// <param name="serverStore">A server store (Milvus) holding the catalog's vectors under the catalog's ids; null for the in-process index.</param>
    public SearchEngine(ICatalogStore catalog, IVectorIndex? index, IEmbedder embedder, QueryPlanner planner, float[] catalogVectors,
        string backendName, RankStage? rank = null, int queryEmbeddingCacheEntries = 10_000, ILogger? logger = null, Bm25Index? lexical = null,
        IVectorStore? serverStore = null)
    {
        if ((index is null) == (serverStore is null))
            throw new ArgumentException("Give the engine either an in-process index or a server store, not both or neither.", nameof(index));
        _lexical = lexical;
        _serverStore = serverStore;
        (_catalog, _index, _embedder, _planner, _catalogVectors, BackendName) = (catalog, index, embedder, planner, catalogVectors, backendName);
        _enricher = new Enricher(catalog);
        _rank = rank ?? new RankStage(new Kernels.CpuKernelBackend(), new ScoringWeights());
        _queryEmbeddings = new MemoryCache(new MemoryCacheOptions { SizeLimit = queryEmbeddingCacheEntries });
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    public string BackendName { get; }
    public string? BackendReason { get; init; }
    /// <summary>Where the rank stage scores candidates: "cuda" (the re-rank kernel) or "cpu".</summary>
    public string RankDevice => _rank.Device;
    /// <summary>Why the rank stage left the GPU, when it did.</summary>
    public string? RankFallbackReason => _rank.FallbackReason;
    public string ModelId => _embedder.ModelId;
    /// <summary>"exact" or "hnsw" (in process, chosen by catalog size, see VectorIndexOptions), or the server store's index.</summary>
    public string IndexKind => _serverStore?.IndexKind ?? (_index is VectorSearch.Hnsw.HnswIndex ? "hnsw" : "exact");
    /// <summary>Where the vectors live: "embedded" or the server store's kind ("milvus").</summary>
    public string VectorStoreKind => _serverStore?.Kind ?? "embedded";

    /// <summary>The vector store's state and latency, for the runner's health report.</summary>
    public Task<DependencyCheck> CheckVectorStoreAsync(CancellationToken cancellationToken = default) =>
        _serverStore?.CheckAsync(cancellationToken)
        ?? Task.FromResult(new DependencyCheck("vectorStore", true, 0, $"embedded, {_catalog.Count} vectors in memory ({IndexKind} index)"));
    public int CatalogCount => _catalog.Count;
    public QueryPlanner Planner => _planner;

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
        // One span per stage, bounded by the same laps as timingsMs (the admit span is counted in timingsMs.plan),
        // under the caller's span (the runner's batch) or, when called outside one (the warm-up), one of our own.
        using var outer = Activity.Current is null ? EngineActivity.Source.StartActivity("search batch") : null;
        var stage = EngineActivity.NextStage(null, "plan", batch.Count);
        try
        {
            var plans = batch.Select(q => _planner.Plan(q.Request)).ToArray();
            var planMs = Lap(clock);
            stage = EngineActivity.NextStage(stage, "embed", batch.Count);

            // One model call for the whole batch: every query and every phrase the planner could not read.
            var texts = batch.Select(q => q.Request.Query!).Concat(plans.SelectMany(p => p.UnreadPhrases)).ToArray();
            var vectors = EmbedTexts(texts, cancellationToken);
            var dim = _embedder.Dimension;
            var next = batch.Count;
            for (var i = 0; i < plans.Length; i++)
            {
                var phraseVectors = plans[i].UnreadPhrases.Select(_ => vectors.AsSpan(next++ * dim, dim).ToArray()).ToArray();
                plans[i] = _planner.ResolvePhrases(plans[i], phraseVectors);
            }
            var queries = vectors[..(batch.Count * dim)];
            for (var i = 0; i < plans.Length; i++)
                if (plans[i].ReferenceRow is { } row) TowardsReference(queries.AsSpan(i * dim, dim), row);
            var embedMs = Lap(clock);
            stage = EngineActivity.NextStage(stage, "admit", batch.Count);

            var filters = new RowFilter?[batch.Count];
            for (var i = 0; i < plans.Length; i++) (plans[i], filters[i]) = _planner.Admit(plans[i]);
            planMs += Lap(clock);
            stage = EngineActivity.NextStage(stage, "search", batch.Count);
            stage?.SetTag("mediagateway.backend", BackendName);
            var maxLimit = batch.Max(q => q.Request.Limit ?? SearchLimits.DefaultLimit);
            var k = Math.Min(_catalog.Count, Math.Max(maxLimit * CandidateFactor, MinCandidates));
            var candidates = k == 0 ? batch.Select(_ => Array.Empty<ScoredRow>()).ToArray()
                : await NearestAsync(queries, batch.Count, k, filters, cancellationToken).ConfigureAwait(false);
            if (k > 0) await WithPreferredAsync(candidates, plans, queries, filters, cancellationToken).ConfigureAwait(false);
            if (_lexical is not null && k > 0)
                for (var i = 0; i < batch.Count; i++) candidates[i] = WithLexical(candidates[i], plans[i], queries.AsSpan(i * dim, dim), filters[i]);
            var searchMs = Lap(clock);
            stage = EngineActivity.NextStage(stage, "enrich", batch.Count);

            var enriched = new (ScoredRow Row, Enrichment Enrichment)[batch.Count][];
            for (var i = 0; i < batch.Count; i++)
            {
                var plan = plans[i];
                enriched[i] = candidates[i].Select(c => (c, _enricher.Enrich(plan, _catalog[c.Row]))).ToArray();
            }
            var enrichMs = Lap(clock);
            stage = EngineActivity.NextStage(stage, "rank", batch.Count);
            stage?.SetTag("mediagateway.rank_device", _rank.Device);

            // The rank stage: every candidate of the batch scored in one call (one kernel launch on the GPU backend).
            var first = new int[batch.Count + 1];
            for (var i = 0; i < batch.Count; i++) first[i + 1] = first[i] + enriched[i].Length;
            var signals = new NativeRerankCandidate[first[^1]];
            for (var i = 0; i < batch.Count; i++)
                for (var j = 0; j < enriched[i].Length; j++)
                {
                    var (row, enrichment) = enriched[i][j];
                    var item = _catalog[row.Row];
                    signals[first[i] + j] = new NativeRerankCandidate
                    {
                        Row = row.Row, Similarity = row.Score, OntologyMatch = enrichment.OntologyMatch,
                        ImdbRating = (float)(item.ImdbRating ?? 0), ImdbVotes = item.ImdbVotes ?? 0,
                    };
                }
            var scores = _rank.Score(signals);

            var responses = new List<SearchResponse>(batch.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                var limit = batch[i].Request.Limit ?? SearchLimits.DefaultLimit;
                var offset = first[i];
                var hits = enriched[i].Select((e, j) => ToHit(e.Row, e.Enrichment, scores[offset + j]))
                    .OrderByDescending(h => h.Score).ThenBy(h => h.Id, StringComparer.Ordinal).Take(limit).ToArray();
                responses.Add(new SearchResponse
                {
                    JobId = batch[i].JobId,
                    Query = batch[i].Request.Query!,
                    Interpretation = plans[i].Interpretation.Select(r => new QueryReading
                    {
                        Phrase = r.Phrase, ReadAs = r.ReadAs, Effect = r.Effect.ToString().ToLowerInvariant(), Note = r.Note,
                    }).ToArray(),
                    Results = hits,
                    Candidates = filters[i]?.Count() ?? _catalog.Count,
                    Backend = BackendName,
                    CompletedAt = DateTimeOffset.UtcNow,
                });
            }
            var rankMs = Lap(clock);

            var timings = new StageTimings { Plan = planMs, Embed = embedMs, Search = searchMs, Enrich = enrichMs, Rank = rankMs, RankDevice = _rank.Device, BatchSize = batch.Count };
            _logger.LogInformation("Searched a batch of {BatchSize}: plan {PlanMs:F1} ms, embed {EmbedMs:F1} ms, search {SearchMs:F1} ms, enrich {EnrichMs:F1} ms, rank {RankMs:F1} ms ({Candidates} candidates on {RankDevice}) on {Backend}",
                batch.Count, planMs, embedMs, searchMs, enrichMs, rankMs, signals.Length, _rank.Device, BackendName);
            return responses.Select(r => r with { TimingsMs = timings }).ToList();
        }
        finally
        {
            stage?.Dispose();
        }
    }

    /// <summary>
    /// Hybrid retrieval: the BM25 index's best rows for the query's words join the dense candidates (same
    /// filter), so titles, names and rare words the embedding misses still reach ranking. Each joining row's
    /// similarity is its cosine with the query, from the stored catalog vectors, so one formula ranks them all.
    /// </summary>
    private ScoredRow[] WithLexical(ScoredRow[] dense, PlannedQuery plan, ReadOnlySpan<float> query, RowFilter? filter)
    {
        var lexical = _lexical!.Search(plan.Normalized, LexicalCandidates, filter);
        if (lexical.Length == 0) return dense;
        var seen = dense.Select(d => d.Row).ToHashSet();
        var dim = _embedder.Dimension;
        var merged = new List<ScoredRow>(dense);
        foreach (var l in lexical)
            if (seen.Add(l.Row)) merged.Add(new ScoredRow(l.Row, TensorPrimitives.Dot(query, _catalogVectors.AsSpan(l.Row * dim, dim))));
        return merged.ToArray();
    }

    /// <summary>
    /// Adds, for each soft preference of each query, the nearest rows that satisfy it (within the query's
    /// filter): one more index call for the whole batch. Without this a preference could only re-order what
    /// the embedding fetched, and "long dramas" would rank the few long films that happened to be near.
    /// </summary>
    private async Task WithPreferredAsync(ScoredRow[][] candidates, PlannedQuery[] plans, float[] queries, RowFilter?[] filters, CancellationToken cancellationToken)
    {
        var dim = _embedder.Dimension;
        var owners = new List<int>();
        var preferred = new List<RowFilter?>();
        for (var i = 0; i < plans.Length; i++)
            foreach (var rows in _planner.PreferredRows(plans[i], filters[i], MaxPreferencesFetched))
            {
                owners.Add(i);
                preferred.Add(rows);
            }
        if (owners.Count == 0) return;
        var repeated = new float[owners.Count * dim];
        for (var j = 0; j < owners.Count; j++) queries.AsSpan(owners[j] * dim, dim).CopyTo(repeated.AsSpan(j * dim, dim));
        var extra = await NearestAsync(repeated, owners.Count, PreferredCandidates, preferred.ToArray(), cancellationToken).ConfigureAwait(false);
        for (var j = 0; j < owners.Count; j++)
        {
            var i = owners[j];
            var seen = candidates[i].Select(c => c.Row).ToHashSet();
            candidates[i] = [.. candidates[i], .. extra[j].Where(r => seen.Add(r.Row))];
        }
    }

    /// <summary>Only the dense channel: the catalog rows nearest the query's embedding, unfiltered (the eval harness's cosine-only baseline).</summary>
    public IReadOnlyList<int> DenseOnly(string query, int k)
    {
        var vector = EmbedTexts([query], CancellationToken.None);
        // Blocking is safe here: the eval harness calls this from a console app (no synchronisation context),
        // and the in-process index completes synchronously.
        return NearestAsync(vector, 1, Math.Min(k, _catalog.Count), [null], CancellationToken.None).GetAwaiter().GetResult()[0].Select(r => r.Row).ToArray();
    }

    /// <summary>
    /// Every vector search of the engine goes through here. The in-process index takes the planner's admitted
    /// rows as bitsets (the fast path). A server store takes them as an <see cref="IncludeIdsClause"/> of the
    /// admitted rows' catalog ids (null: every row), and its matches map back to rows.
    /// </summary>
    private async Task<ScoredRow[][]> NearestAsync(float[] queries, int queryCount, int k, RowFilter?[] filters, CancellationToken cancellationToken)
    {
        if (_serverStore is null) return _index!.Search(queries, queryCount, k, filters);
        var idFilters = filters.Select(ToIdFilter).ToArray();
        var matches = await _serverStore.SearchAsync(queries.AsMemory(0, queryCount * _embedder.Dimension), queryCount, k, idFilters, cancellationToken).ConfigureAwait(false);
        return matches.Select(ToRows).ToArray();
    }

    /// <summary>The admitted rows as catalog ids, for a server store; null (everything) stays null.</summary>
    private VectorFilter? ToIdFilter(RowFilter? rows)
    {
        if (rows is null) return null;
        var ids = new List<string>(rows.Count());
        var words = rows.Words;
        for (var w = 0; w < words.Length; w++)
            for (var bits = words[w]; bits != 0; bits &= bits - 1)
                ids.Add(_catalog[w * 64 + BitOperations.TrailingZeroCount(bits)].Id);
        return new VectorFilter([new IncludeIdsClause(ids)]);
    }

    /// <summary>Matches back to catalog rows; an id the catalog does not hold (a store not yet synced) is dropped.</summary>
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

    /// <summary>Only the lexical channel (BM25), unfiltered; empty when the engine has no lexical index.</summary>
    public IReadOnlyList<int> LexicalOnly(string query, int k) =>
        _lexical?.Search(query, k).Select(r => r.Row).ToArray() ?? [];

    public ICatalogStore Catalog => _catalog;

    /// <summary>Plans a request without searching (for tests, the eval harness and tooling).</summary>
    public PlannedQuery Plan(SearchRequest request) => _planner.Plan(request);

    /// <param name="score">The rank stage's score; the quality prior is recomputed only for the explanation.</param>
    private SearchHit ToHit(ScoredRow row, Enrichment enrichment, float score)
    {
        var item = _catalog[row.Row];
        var quality = Scoring.QualityPrior((float)(item.ImdbRating ?? 0), item.ImdbVotes ?? 0);
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

    /// <summary>
    /// "More like X": the query moves halfway towards X's stored vector (read from the catalog matrix, not
    /// embedded again), so the search looks around X in the words' direction.
    /// </summary>
    private void TowardsReference(Span<float> query, int row)
    {
        var dim = _embedder.Dimension;
        TensorPrimitives.Add(query, _catalogVectors.AsSpan(row * dim, dim), query);
        var norm = TensorPrimitives.Norm(query);
        if (norm > 1e-6f) TensorPrimitives.Divide(query, norm, query);
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
