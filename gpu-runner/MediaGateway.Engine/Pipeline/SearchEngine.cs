using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Numerics;
using System.Numerics.Tensors;
using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Embedding;
using MediaGateway.Engine.Lexical;
using MediaGateway.Engine.Ontology;
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
    private readonly IOntologyStore? _ontology;
    private readonly IEmbedder _embedder;
    private readonly QueryPlanner _planner;
    private readonly Enricher _enricher;
    private readonly DiscoveryLookup _lookup;
    private readonly float[] _catalogVectors;
    private readonly Bm25Index? _lexical;
    private readonly RankStage _rank;
    private readonly MemoryCache _queryEmbeddings;
    private readonly ILogger _logger;
    // At most this many batches at once (EngineOptions.ConcurrentBatches): bounds memory under load, and two are
    // enough to keep the cores busy, one batch's embedding running while another's single-threaded stages do.
    private readonly SemaphoreSlim _batches;

    /// <param name="catalogVectors">The catalog's embeddings, row-major (row i = item i): "more like X" reads X's vector here instead of embedding X again.</param>
    /// <param name="index">The in-process index over the catalog's rows (VectorStore=Embedded); null when <paramref name="serverStore"/> answers.</param>
    /// <param name="lexical">The BM25 index whose candidates join the dense ones (hybrid retrieval); null for dense only.</param>
    /// <param name="serverStore">A server store (Milvus) holding the catalog's vectors under the catalog's ids; null for the in-process index.</param>
    /// <param name="ontology">The planner's ontology store, asked once per batch for every expansion the batch may need (one round trip for a server store); null: the planner asks it concept by concept.</param>
    /// <param name="concurrentBatches">How many batches may be searched at once (<see cref="EngineOptions.ConcurrentBatches"/>); callers beyond it wait.</param>
    public SearchEngine(ICatalogStore catalog, IVectorIndex? index, IEmbedder embedder, QueryPlanner planner, float[] catalogVectors,
        string backendName, RankStage? rank = null, int queryEmbeddingCacheEntries = 10_000, ILogger? logger = null, Bm25Index? lexical = null,
        IVectorStore? serverStore = null, IOntologyStore? ontology = null, int concurrentBatches = 1)
    {
        _batches = new SemaphoreSlim(Math.Max(1, concurrentBatches));
        _ontology = ontology;
        if ((index is null) == (serverStore is null))
            throw new ArgumentException("Give the engine either an in-process index or a server store, not both or neither.", nameof(index));
        _lexical = lexical;
        _serverStore = serverStore;
        (_catalog, _index, _embedder, _planner, _catalogVectors, BackendName) = (catalog, index, embedder, planner, catalogVectors, backendName);
        _enricher = new Enricher(catalog);
        _lookup = new DiscoveryLookup(catalog, planner.Ontology);
        _rank = rank ?? new RankStage(new Kernels.CpuKernelBackend(), new ScoringWeights());
        _queryEmbeddings = new MemoryCache(new MemoryCacheOptions { SizeLimit = queryEmbeddingCacheEntries });
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    public string BackendName { get; }
    public string? BackendReason { get; init; }
    /// <summary>The catalog and model this engine serves (<see cref="Catalog.CatalogVersion"/>); stamped on every response.</summary>
    public string? CatalogVersion { get; init; }
    /// <summary>Where the rank stage scores candidates: "cuda" (the re-rank kernel) or "cpu".</summary>
    public string RankDevice => _rank.Device;
    /// <summary>Why the rank stage left the GPU, when it did.</summary>
    public string? RankFallbackReason => _rank.FallbackReason;
    /// <summary>On the CUDA backend, which tensor-core kernel takes batches of 64+ and why (<c>CudaKernelBackend.BatchKernel</c>).</summary>
    public string? BatchKernel { get; init; }
    public string ModelId => _embedder.ModelId;
    /// <summary>"exact" or "hnsw" (in process, chosen by catalog size, see VectorIndexOptions), or the server store's index.</summary>
    public string IndexKind => _serverStore?.IndexKind ?? (_index is VectorSearch.Hnsw.HnswIndex ? "hnsw" : "exact");
    /// <summary>Where the vectors live: "embedded" or the server store's kind ("milvus").</summary>
    public string VectorStoreKind => _serverStore?.Kind ?? "embedded";

    /// <summary>Where the ontology is read: "embedded" or the server store's kind ("neo4j").</summary>
    public string OntologyStoreKind => _ontology?.Kind ?? "embedded";

    /// <summary>The ontology store's state and latency, for the runner's health report; null when the engine was given none.</summary>
    public Task<DependencyCheck>? CheckOntologyStoreAsync(CancellationToken cancellationToken = default) => _ontology?.CheckAsync(cancellationToken);

    /// <summary>The vector store's state and latency, for the runner's health report.</summary>
    public Task<DependencyCheck> CheckVectorStoreAsync(CancellationToken cancellationToken = default) =>
        _serverStore?.CheckAsync(cancellationToken)
        ?? Task.FromResult(new DependencyCheck("vectorStore", true, 0, $"embedded, {_catalog.Count} vectors in memory ({IndexKind} index)"));
    public int CatalogCount => _catalog.Count;
    public QueryPlanner Planner => _planner;

    public async Task<IReadOnlyList<SearchResponse>> SearchAsync(IReadOnlyList<EngineQuery> batch, CancellationToken cancellationToken = default)
    {
        // Lookups (an item's facts, concepts by label) need neither the model nor the index: answered at once.
        var responses = new SearchResponse?[batch.Count];
        var toSearch = new List<int>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
            if ((responses[i] = _lookup.TryAnswer(batch[i])) is null) toSearch.Add(i);
        if (toSearch.Count == 0) return responses!;

        await _batches.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var searched = await SearchBatchAsync(toSearch.Select(i => batch[i]).ToArray(), cancellationToken).ConfigureAwait(false);
            for (var j = 0; j < toSearch.Count; j++) responses[toSearch[j]] = searched[j];
            return responses!;
        }
        finally
        {
            _batches.Release();
        }
    }

    private async Task<IReadOnlyList<SearchResponse>> SearchBatchAsync(IReadOnlyList<EngineQuery> batch, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        // One span per stage, bounded by the same laps as timingsMs (the admit span is counted in timingsMs.plan),
        // under the caller's span (the runner's batch) or, when called outside one (the warm-up), one of our own.
        using var outer = Activity.Current is null ? EngineActivity.Source.StartActivity("search batch") : null;
        var stage = new StrongBox<Activity?>(EngineActivity.NextStage(null, "plan", batch.Count));
        try
        {
            return await PlanAndSearchAsync(batch, stage, clock, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            stage.Value?.Dispose();
        }
    }

    private async Task<IReadOnlyList<SearchResponse>> PlanAndSearchAsync(IReadOnlyList<EngineQuery> batch, StrongBox<Activity?> stage, Stopwatch clock, CancellationToken cancellationToken)
    {
        // One ontology call for the batch: every concept a label in any query could name (a server store keeps
        // the answers, bounded, for the planner's Expand), instead of one round trip per concept.
        if (_ontology is not null)
            await _ontology.ExpandManyAsync(batch.SelectMany(q => _planner.ConceptIdsNamed(q.Request)).ToHashSet(), cancellationToken: cancellationToken).ConfigureAwait(false);
        var plans = batch.Select(q => _planner.Plan(q.Request)).ToArray();
        var planMs = Lap(clock);
        // A request naming an item or concept the catalog lacks is answered with what it named, unsearched (404 at the gateway).
        if (plans.All(p => p.Unknown.Count == 0)) return await SearchPlannedAsync(batch, plans, planMs, clock, stage, cancellationToken).ConfigureAwait(false);
        var responses = new SearchResponse[batch.Count];
        var known = Enumerable.Range(0, batch.Count).Where(i => plans[i].Unknown.Count == 0).ToArray();
        foreach (var i in Enumerable.Range(0, batch.Count).Except(known))
            responses[i] = new SearchResponse { JobId = batch[i].JobId, Query = batch[i].Request.Query ?? "", Results = [], Unknown = plans[i].Unknown, CompletedAt = DateTimeOffset.UtcNow };
        if (known.Length > 0)
        {
            var searched = await SearchPlannedAsync(known.Select(i => batch[i]).ToArray(), known.Select(i => plans[i]).ToArray(), planMs, clock, stage, cancellationToken).ConfigureAwait(false);
            for (var j = 0; j < known.Length; j++) responses[known[j]] = searched[j];
        }
        return responses;
    }

    /// <param name="stage">The current stage's span; each stage ends it and starts the next (the caller ends the last).</param>
    private async Task<List<SearchResponse>> SearchPlannedAsync(IReadOnlyList<EngineQuery> batch, PlannedQuery[] plans, double planMs, Stopwatch clock,
        StrongBox<Activity?> stage, CancellationToken cancellationToken)
    {
        stage.Value = EngineActivity.NextStage(stage.Value, "embed", batch.Count);
        // One model call for the whole batch: every query's text and every phrase the planner could not read.
        var withText = Enumerable.Range(0, batch.Count).Where(i => !string.IsNullOrEmpty(plans[i].EmbedText)).ToArray();
        // A query carries the model's retrieval prefix; a phrase is matched to concept labels, which do not.
        var texts = withText.Select(i => _embedder.QueryPrefix + plans[i].EmbedText!).Concat(plans.SelectMany(p => p.UnreadPhrases)).ToArray();
        var vectors = EmbedTexts(texts, cancellationToken);
        var dim = _embedder.Dimension;
        var next = withText.Length;
        var phraseVectors = plans.Select(p => p.UnreadPhrases.Select(_ => vectors.AsSpan(next++ * dim, dim).ToArray()).ToArray()).ToArray();
        var phraseMatches = phraseVectors.Select(_planner.MatchPhrases).ToArray();
        // Concepts found by meaning are known only now; those not fetched above come in one more call (none, mostly).
        if (_ontology is not null && phraseVectors.Any(v => v.Length > 0))
            await _ontology.ExpandManyAsync(phraseMatches.SelectMany(m => m).OfType<PhraseMatch>().Select(m => m.Concept.Id).ToHashSet(), cancellationToken: cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < plans.Length; i++) plans[i] = _planner.ResolvePhrases(plans[i], phraseMatches[i]);
        var queries = new float[batch.Count * dim];
        for (var j = 0; j < withText.Length; j++) vectors.AsSpan(j * dim, dim).CopyTo(queries.AsSpan(withText[j] * dim, dim));
        for (var i = 0; i < plans.Length; i++) SteerQuery(plans[i], queries.AsSpan(i * dim, dim));
        var embedMs = Lap(clock);
        stage.Value = EngineActivity.NextStage(stage.Value, "admit", batch.Count);

        var filters = new RowFilter?[batch.Count];
        for (var i = 0; i < plans.Length; i++) (plans[i], filters[i]) = _planner.Admit(plans[i]);
        planMs += Lap(clock);
        stage.Value = EngineActivity.NextStage(stage.Value, "search", batch.Count);
        stage.Value?.SetTag("mediagateway.backend", BackendName);
        var maxLimit = batch.Max(q => q.Request.Limit ?? SearchLimits.DefaultLimit);
        var k = Math.Min(_catalog.Count, Math.Max(maxLimit * CandidateFactor, MinCandidates));
        var admitted = filters.Select((rows, i) => rows is null ? null : new AdmittedRows(rows, plans[i].Constraints.Select(c => c.Constraint).ToArray())).ToArray();
        var candidates = k == 0 ? batch.Select(_ => Array.Empty<ScoredRow>()).ToArray()
            : await NearestAsync(queries, batch.Count, k, admitted, cancellationToken).ConfigureAwait(false);
        if (k > 0) await WithPreferredAsync(candidates, plans, queries, admitted, cancellationToken).ConfigureAwait(false);
        if (_lexical is not null && k > 0)
            for (var i = 0; i < batch.Count; i++) candidates[i] = WithLexical(candidates[i], plans[i], queries.AsSpan(i * dim, dim), filters[i]);
        var searchMs = Lap(clock);
        stage.Value = EngineActivity.NextStage(stage.Value, "enrich", batch.Count);

        // Every candidate is scored against its plan; only the hits returned are explained (below, after ranking).
        var matches = new float[batch.Count][];
        for (var i = 0; i < batch.Count; i++)
        {
            var plan = plans[i];
            matches[i] = candidates[i].Select(c => _enricher.Score(plan, _catalog[c.Row])).ToArray();
        }
        var enrichMs = Lap(clock);
        stage.Value = EngineActivity.NextStage(stage.Value, "rank", batch.Count);
        stage.Value?.SetTag("mediagateway.rank_device", _rank.Device);

        // The rank stage: every candidate of the batch scored in one call (one kernel launch on the GPU backend).
        var first = new int[batch.Count + 1];
        for (var i = 0; i < batch.Count; i++) first[i + 1] = first[i] + candidates[i].Length;
        var signals = new NativeRerankCandidate[first[^1]];
        for (var i = 0; i < batch.Count; i++)
            for (var j = 0; j < candidates[i].Length; j++)
            {
                var row = candidates[i][j];
                var item = _catalog[row.Row];
                signals[first[i] + j] = new NativeRerankCandidate
                {
                    Row = row.Row, Similarity = row.Score, OntologyMatch = matches[i][j],
                    ImdbRating = (float)(item.ImdbRating ?? 0), ImdbVotes = item.ImdbVotes ?? 0,
                    Personalization = plans[i].Personalized ? Personalizer.Score(plans[i], row.Row, _catalogVectors, dim).Value : 0f,
                };
            }
        var scores = _rank.Score(signals);

        var responses = new List<SearchResponse>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var limit = batch[i].Request.Limit ?? SearchLimits.DefaultLimit;
            var offset = first[i];
            var plan = plans[i];
            var rows = candidates[i];
            // Ordered as the hits show them (the score rounded as SearchHit carries it, then the id), then explained.
            var hits = Enumerable.Range(0, rows.Length)
                .OrderByDescending(j => RoundedScore(scores[offset + j])).ThenBy(j => _catalog[rows[j].Row].Id, StringComparer.Ordinal).Take(limit)
                .Select(j => ToHit(rows[j], _enricher.Enrich(plan, _catalog[rows[j].Row]), scores[offset + j], plan)).ToArray();
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
                CatalogVersion = CatalogVersion,
                CompletedAt = DateTimeOffset.UtcNow,
            });
        }
        var rankMs = Lap(clock);

        var timings = new StageTimings { Plan = planMs, Embed = embedMs, Search = searchMs, Enrich = enrichMs, Rank = rankMs, RankDevice = _rank.Device, BatchSize = batch.Count };
        _logger.LogInformation("Searched a batch of {BatchSize}: plan {PlanMs:F1} ms, embed {EmbedMs:F1} ms, search {SearchMs:F1} ms, enrich {EnrichMs:F1} ms, rank {RankMs:F1} ms ({Candidates} candidates on {RankDevice}) on {Backend}",
            batch.Count, planMs, embedMs, searchMs, enrichMs, rankMs, signals.Length, _rank.Device, BackendName);
        return responses.Select(r => r with { TimingsMs = timings }).ToList();
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
    private async Task WithPreferredAsync(ScoredRow[][] candidates, PlannedQuery[] plans, float[] queries, AdmittedRows?[] admitted, CancellationToken cancellationToken)
    {
        var dim = _embedder.Dimension;
        var owners = new List<int>();
        var preferred = new List<AdmittedRows?>();
        for (var i = 0; i < plans.Length; i++)
            foreach (var (preference, rows) in _planner.PreferredRows(plans[i], admitted[i]?.Rows, MaxPreferencesFetched))
            {
                owners.Add(i);
                preferred.Add(new AdmittedRows(rows, [.. admitted[i]?.Constraints ?? [], preference.Constraint]));
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
        var vector = EmbedTexts([_embedder.QueryPrefix + query], CancellationToken.None);
        // Blocking is safe here: the eval harness calls this from a console app (no synchronisation context),
        // and the in-process index completes synchronously.
        return NearestAsync(vector, 1, Math.Min(k, _catalog.Count), [null], CancellationToken.None).GetAwaiter().GetResult()[0].Select(r => r.Row).ToArray();
    }

    /// <summary>
    /// Every vector search of the engine goes through here. The in-process index takes the planner's admitted
    /// rows as bitsets (the fast path). A server store takes the constraints behind them (<see cref="ServerFilter"/>;
    /// null: every row), and its matches map back to rows.
    /// </summary>
    private async Task<ScoredRow[][]> NearestAsync(float[] queries, int queryCount, int k, AdmittedRows?[] filters, CancellationToken cancellationToken)
    {
        if (_serverStore is null) return _index!.Search(queries, queryCount, k, filters.Select(f => f?.Rows).ToArray());
        var idFilters = filters.Select(ServerFilter).ToArray();
        var matches = await _serverStore.SearchAsync(queries.AsMemory(0, queryCount * _embedder.Dimension), queryCount, k, idFilters, cancellationToken).ConfigureAwait(false);
        return matches.Select(ToRows).ToArray();
    }

    /// <summary>
    /// The admitted rows for a server store: each constraint with a typed clause as that clause, so the store
    /// evaluates it on its own fields (a genre or a year range costs a few bytes whatever the catalog's size),
    /// and the rows the others admit as one list of catalog ids. Null (everything) stays null.
    /// </summary>
    private VectorFilter? ServerFilter(AdmittedRows? admitted)
    {
        if (admitted is null) return null;
        var clauses = new List<FilterClause>();
        var untyped = new List<IConstraint>();
        foreach (var constraint in admitted.Constraints)
        {
            if (constraint.ToClause() is { } clause) clauses.Add(clause);
            else untyped.Add(constraint);
        }
        if (untyped.Count > 0) clauses.Add(IdsOf(_planner.RowsAdmittedBy(untyped)));
        return clauses.Count == 0 ? null : new VectorFilter(clauses);
    }

    /// <summary>
    /// The rows as ids, whichever list is shorter: an exclusion the store cannot evaluate ("not zombies") admits nearly every
    /// row, and the few it leaves out are the message, not the million it keeps.
    /// </summary>
    private FilterClause IdsOf(RowFilter rows) =>
        rows.Count() * 2 <= rows.Rows ? new IncludeIdsClause(IdsIn(rows)) : new ExcludeIdsClause(IdsIn(rows.Complement()));

    private List<string> IdsIn(RowFilter rows)
    {
        var ids = new List<string>(rows.Count());
        var words = rows.Words;
        for (var w = 0; w < words.Length; w++)
            for (var bits = words[w]; bits != 0; bits &= bits - 1)
                ids.Add(_catalog[w * 64 + BitOperations.TrailingZeroCount(bits)].Id);
        return ids;
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
    private SearchHit ToHit(ScoredRow row, Enrichment enrichment, float score, PlannedQuery plan)
    {
        var item = _catalog[row.Row];
        var personal = plan.Personalized ? Personalizer.Score(plan, row.Row, _catalogVectors, _embedder.Dimension) : (PersonalScore?)null;
        var reasons = personal is { } p ? [p.Reason(_catalog), .. enrichment.Reasons.Take(Enricher.MaxReasons - 1)] : enrichment.Reasons;
        var quality = Scoring.QualityPrior((float)(item.ImdbRating ?? 0), item.ImdbVotes ?? 0);
        return new SearchHit
        {
            Id = item.Id,
            Title = item.Title,
            Year = item.Year,
            Score = RoundedScore(score),
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
                Personalization = personal is { } q ? Math.Round(q.Value, 4) : null,
                Reasons = reasons,
            },
        };
    }

    /// <summary>A hit's score as responses carry it (four decimals); hits are ordered by it.</summary>
    private static double RoundedScore(float score) => Math.Round(score, 4);

    /// <summary>How much a disliked item pulls the recommendation vector away (Rocchio's negative weight, below the positive 1).</summary>
    private const float DislikedPull = 0.25f;

    /// <summary>
    /// Moves a query vector by the catalog items its plan names, reading their stored vectors from the catalog
    /// matrix (never embedding them again). "More like X": halfway towards X, so the search looks around X in
    /// the words' direction; similar items (no words) sit on X. Recommendations (Rocchio): plus the mean of the
    /// liked items, minus <see cref="DislikedPull"/> × the mean of the disliked ones, plus the concepts' labels
    /// when given. The result is unit length.
    /// </summary>
    private void SteerQuery(PlannedQuery plan, Span<float> query)
    {
        var dim = _embedder.Dimension;
        if (plan.ReferenceRow is { } row) TensorPrimitives.Add(query, _catalogVectors.AsSpan(row * dim, dim), query);
        foreach (var liked in plan.LikedRows)
            TensorPrimitives.MultiplyAdd(_catalogVectors.AsSpan(liked * dim, dim), 1f / plan.LikedRows.Count, query, query);
        foreach (var disliked in plan.DislikedRows)
            TensorPrimitives.MultiplyAdd(_catalogVectors.AsSpan(disliked * dim, dim), -DislikedPull / plan.DislikedRows.Count, query, query);
        if (plan.ReferenceRow is null && !plan.Personalized) return;
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
