namespace MediaGateway.Engine.Ranking;

/// <summary>Weights of the ranking formula; configurable under <c>MediaGateway:Ranking</c>.</summary>
public sealed record ScoringWeights
{
    public float Similarity { get; init; } = 1.0f;
    public float OntologyMatch { get; init; } = 0.3f;
    public float QualityPrior { get; init; } = 0.1f;
    /// <summary>Weight of the personalisation term (recommendations only; 0 for searches, which have no liked items).</summary>
    public float Personalization { get; init; } = 0.5f;
}

/// <summary>
/// The ranking formula. It is the same arithmetic as <c>native/include/mg_scoring.h</c>, which the CUDA
/// re-ranking kernel uses; a test cross-checks the two on random inputs, so change both together.
/// </summary>
public static class Scoring
{
    /// <summary>IMDB rating scaled to 0–1 and discounted when few people voted (1 at 100,000 votes).</summary>
    public static float QualityPrior(float imdbRating, float imdbVotes)
    {
        if (!(imdbRating > 0f) || !(imdbVotes > 0f)) return 0f;
        var confidence = MathF.Min(1f, MathF.Log10(1f + imdbVotes) / 5f);
        return MathF.Min(imdbRating, 10f) / 10f * confidence;
    }

    public static float Combine(ScoringWeights w, float similarity, float ontologyMatch, float qualityPrior, float personalization) =>
        w.Similarity * similarity + w.OntologyMatch * ontologyMatch + w.QualityPrior * qualityPrior + w.Personalization * personalization;
}
