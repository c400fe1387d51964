using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Query;
using MediaGateway.Eval;
using MediaGateway.Tests.Support;

namespace MediaGateway.Tests.Engine;

/// <summary>
/// What a server store (Milvus) is sent instead of row ids: every constraint the planner makes for the judged
/// queries, on the demo catalog, admits through its typed clause exactly the items it matches.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class TypedClauseTests(EngineFixture fixture)
{
    [Fact]
    public void The_judged_queries_constraints_translate_to_clauses_that_agree_on_every_item()
    {
        var engine = fixture.Engine;
        var items = engine.Catalog.Items;
        var judged = JudgedQuery.Load(JudgedQuery.DefaultPath(EngineFixture.RepositoryRoot));
        int typed = 0, untyped = 0;
        foreach (var q in judged)
        {
            var (plan, _) = engine.Planner.Admit(engine.Plan(new SearchRequest { Query = q.Query, Limit = 10 }));
            foreach (var c in plan.Constraints.Select(h => h.Constraint).Concat(plan.Preferences.Select(p => p.Constraint)))
            {
                if (c.ToClause() is not { } clause) { untyped++; continue; }
                typed++;
                var disagree = items.Where(i => c.Matches(i) != clause.Matches(i)).Select(i => i.Id).Take(3).ToArray();
                Assert.True(disagree.Length == 0, $"\"{q.Query}\": {c.Describe()} vs {clause}: {string.Join(", ", disagree)}");
            }
        }
        // Most of what people ask for is genres, years, runtimes and ratings: those must not travel as id lists.
        Assert.True(typed > 2 * untyped, $"{typed} constraints with a typed clause, {untyped} without");
    }
}
