using System.Text.Json;
using MediaGateway.Eval;
using MediaGateway.Tests.Support;

namespace MediaGateway.Tests.Eval;

/// <summary>
/// The search-quality floor: the full pipeline's mean nDCG@10 on the held-out half of the judged set must not
/// drop below the value recorded in eval/baseline.json (written by the harness with --record).
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class SearchQualityTests(EngineFixture fixture)
{
    private static IReadOnlyList<JudgedQuery> Judged => JudgedQuery.Load(JudgedQuery.DefaultPath(EngineFixture.RepositoryRoot));

    [Fact]
    public async Task Held_out_ndcg_does_not_drop_below_the_recorded_baseline()
    {
        using var baseline = JsonDocument.Parse(File.ReadAllText(Path.Combine(EngineFixture.RepositoryRoot, "eval", "baseline.json")));
        var floor = baseline.RootElement.GetProperty("heldOutFullPipelineNdcg10").GetDouble();

        var scores = await new Evaluator(fixture.Engine).RunAsync(Judged.Where(q => q.Half == "heldout").ToArray(), EvalSystem.FullPipeline);
        var ndcg = Metrics.Mean(scores.Select(s => s.Metrics)).Ndcg;

        var worst = string.Join("; ", scores.OrderBy(s => s.Metrics.Ndcg).Take(5).Select(s => $"{s.Query.Query} {s.Metrics.Ndcg:0.00}"));
        Assert.True(ndcg >= floor, $"held-out nDCG@10 {ndcg:0.000} < recorded {floor:0.000}; worst: {worst}");
    }

    [Fact]
    public void The_judged_set_has_100_queries_split_in_two_fixed_halves_covering_every_capability()
    {
        var judged = Judged;
        Assert.True(judged.Count >= 100);
        Assert.Equal(judged.Count, judged.Select(q => q.Id).Distinct().Count());
        Assert.All(judged, q => Assert.Contains(q.Half, new[] { "tune", "heldout" }));
        foreach (var capability in judged.Select(q => q.Capability).Distinct())
        {
            Assert.Contains(judged, q => q.Capability == capability && q.Half == "tune");
            Assert.Contains(judged, q => q.Capability == capability && q.Half == "heldout");
        }
    }

    [Fact]
    public void Every_judged_query_has_relevant_items_in_the_catalog()
    {
        var items = fixture.Engine.Catalog.Items;
        Assert.All(Judged, q => Assert.True(items.Any(i => q.Grade(i) > 0), $"{q.Id} \"{q.Query}\" has no relevant item"));
    }

    [Fact]
    public void Metrics_match_hand_computed_values()
    {
        // Two relevant items in the catalog (grades 2 and 1); the list finds the grade-1 item first, then the grade-2 one.
        var m = Metrics.Of([0, 1, 2], [2, 1, 0, 0]);
        var dcg = 1 / Math.Log2(3) + 3 / Math.Log2(4);
        var idcg = 3 / Math.Log2(2) + 1 / Math.Log2(3);
        Assert.Equal(dcg / idcg, m.Ndcg, 9);
        Assert.Equal(1.0, m.Precision); // both relevant items found, out of min(10, 2)
        Assert.Equal(0.5, m.Mrr);
    }
}
