namespace MediaGateway.Engine.Query;

/// <summary>
/// The MPAA ratings in order of how much they keep from children, the one ordering "PG-13 or lower" and "for an 8 year
/// old" are read against: PG-13 warns that some material is inappropriate under 13, R needs a parent under 17.
/// </summary>
public static class MpaaScale
{
    public static IReadOnlyList<string> Ordered { get; } = ["G", "PG", "PG-13", "R", "NC-17"];

    /// <summary>The rating as the catalog writes it ("pg13" → "PG-13"), or null when it is none of the scale.</summary>
    public static string? Canonical(string rating)
    {
        var compact = rating.Replace("-", "").Replace(" ", "").ToUpperInvariant();
        return Ordered.FirstOrDefault(r => r.Replace("-", "") == compact);
    }

    /// <summary>The ratings from <paramref name="rating"/> down (<paramref name="orLower"/>) or up.</summary>
    public static IReadOnlyList<string> From(string rating, bool orLower)
    {
        var i = Ordered.ToList().IndexOf(rating);
        return i < 0 ? [] : orLower ? Ordered.Take(i + 1).ToArray() : Ordered.Skip(i).ToArray();
    }

    /// <summary>The ratings a viewer of <paramref name="age"/> may watch alone: all of them from 17 on.</summary>
    public static IReadOnlyList<string> SuitableFor(int age) => age < 13 ? From("PG", orLower: true) : age < 17 ? From("PG-13", orLower: true) : Ordered;
}
