using System.Numerics.Tensors;
using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Query;

namespace MediaGateway.Engine.Ranking;

/// <summary>
/// The ranking formula's personalisation term for a recommendation: how close a candidate is to the nearest
/// item the caller liked, less how close it is to the nearest item they disliked (cosines of the stored
/// vectors, so −1…1). The nearest of each is kept to explain the term in words.
/// </summary>
public static class Personalizer
{
    public static PersonalScore Score(PlannedQuery plan, int row, float[] catalogVectors, int dim)
    {
        var candidate = catalogVectors.AsSpan(row * dim, dim);
        var (liked, likedSimilarity) = Nearest(plan.LikedRows, candidate, catalogVectors, dim);
        var (disliked, dislikedSimilarity) = Nearest(plan.DislikedRows, candidate, catalogVectors, dim);
        return new PersonalScore(Math.Max(0f, likedSimilarity) - Math.Max(0f, dislikedSimilarity), liked, likedSimilarity, disliked, dislikedSimilarity);
    }

    private static (int Row, float Similarity) Nearest(IReadOnlyList<int> rows, ReadOnlySpan<float> candidate, float[] catalogVectors, int dim)
    {
        var (best, bestSimilarity) = (-1, 0f);
        foreach (var r in rows)
        {
            var s = TensorPrimitives.Dot(candidate, catalogVectors.AsSpan(r * dim, dim));
            if (best < 0 || s > bestSimilarity) (best, bestSimilarity) = (r, s);
        }
        return (best, bestSimilarity);
    }
}
