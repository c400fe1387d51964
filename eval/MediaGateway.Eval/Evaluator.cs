using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Pipeline;

namespace MediaGateway.Eval;

/// <summary>The three systems the harness compares.</summary>
public enum EvalSystem
{
    /// <summary>The query's embedding against the catalog's, nothing else.</summary>
    CosineOnly,
    /// <summary>BM25 over the catalog text (Lucene.Net), nothing else.</summary>
    Bm25Only,
    /// <summary>The engine as it answers HTTP searches: planner, hybrid retrieval, ontology, ranking.</summary>
    FullPipeline,
}

/// <summary>Per-query result of one system.</summary>
public sealed record QueryScore(JudgedQuery Query, EvalSystem System, Metrics Metrics, IReadOnlyList<string> TopTitles);

/// <summary>Runs judged queries through a system and scores the top 10 against the metadata-derived grades.</summary>
public sealed class Evaluator(SearchEngine engine)
{
    private readonly List<StageTimings> _timings = [];

    /// <summary>Stage timings of every full-pipeline search run so far (one query per batch).</summary>
    public IReadOnlyList<StageTimings> Timings => _timings;

    public async Task<IReadOnlyList<QueryScore>> RunAsync(IReadOnlyList<JudgedQuery> queries, EvalSystem system)
    {
        var catalog = engine.Catalog;
        var scores = new List<QueryScore>(queries.Count);
        foreach (var q in queries)
        {
            IReadOnlyList<int> rows = system switch
            {
                EvalSystem.CosineOnly => engine.DenseOnly(q.Query, Metrics.K),
                EvalSystem.Bm25Only => engine.LexicalOnly(q.Query, Metrics.K),
                _ => await FullAsync(q.Query).ConfigureAwait(false),
            };
            var grades = rows.Select(r => q.Grade(catalog[r])).ToArray();
            var metrics = Metrics.Of(grades, catalog.Items.Select(q.Grade));
            scores.Add(new QueryScore(q, system, metrics, rows.Take(3).Select(r => catalog[r].Title).ToArray()));
        }
        return scores;
    }

    private async Task<IReadOnlyList<int>> FullAsync(string query)
    {
        var request = SearchRequestNormalizer.Normalize(new SearchRequest { Query = query, Limit = Metrics.K });
        var response = (await engine.SearchAsync([new EngineQuery("eval", request)]).ConfigureAwait(false))[0];
        if (response.TimingsMs is { } t) _timings.Add(t);
        return response.Results.Select(h => engine.Catalog.TryGetRow(h.Id, out var row) ? row : -1).Where(r => r >= 0).ToArray();
    }
}
