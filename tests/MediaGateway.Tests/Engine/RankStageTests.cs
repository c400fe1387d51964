using MediaGateway.Engine.Kernels;
using MediaGateway.Engine.Kernels.Cuda;
using MediaGateway.Engine.Ranking;

namespace MediaGateway.Tests.Engine;

public sealed class RankStageTests
{
    [Fact]
    public void On_the_CPU_backend_the_stage_scores_with_the_CSharp_formula()
    {
        var weights = new ScoringWeights { Personalization = 0.2f };
        var random = new Random(3);
        var candidates = Enumerable.Range(0, 500).Select(i => new NativeRerankCandidate
        {
            Row = i, Similarity = random.NextSingle() * 2 - 1, OntologyMatch = random.NextSingle(),
            ImdbRating = i % 7 == 0 ? float.NaN : random.NextSingle() * 10, ImdbVotes = i % 5 == 0 ? 0 : random.Next(1, 2_000_000),
            Personalization = random.NextSingle(),
        }).ToArray();
        using var backend = new CpuKernelBackend();
        var stage = new RankStage(backend, weights);

        var scores = stage.Score(candidates);

        Assert.Equal("cpu", stage.Device);
        Assert.Null(stage.FallbackReason);
        for (var i = 0; i < candidates.Length; i++)
        {
            var c = candidates[i];
            Assert.Equal(Scoring.Combine(weights, c.Similarity, c.OntologyMatch, Scoring.QualityPrior(c.ImdbRating, c.ImdbVotes), c.Personalization), scores[i]);
        }
        Assert.Empty(stage.Score([]));
    }
}
