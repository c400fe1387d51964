using MediaGateway.Engine.Catalog;

namespace MediaGateway.Engine.Ranking;

/// <summary>The personalisation term of one candidate and the liked/disliked items (rows, −1 for none) that decided it.</summary>
public readonly record struct PersonalScore(float Value, int LikedRow, float LikedSimilarity, int DislikedRow, float DislikedSimilarity)
{
    /// <summary>"close to liked Alien (1979): 0.81; to disliked Cats (2019): 0.42".</summary>
    public string Reason(ICatalogStore catalog)
    {
        var parts = new List<string>(2);
        if (LikedRow >= 0) parts.Add($"close to liked {Name(catalog[LikedRow])}: {LikedSimilarity:0.00}");
        if (DislikedRow >= 0) parts.Add($"to disliked {Name(catalog[DislikedRow])}: {DislikedSimilarity:0.00}");
        return string.Join("; ", parts);
    }

    private static string Name(CatalogItem item) => item.Year is { } y ? $"{item.Title} ({y})" : item.Title;
}
