using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.VectorStores;

namespace MediaGateway.Tests.VectorStores;

/// <summary>Seeded records with every kind of facet (mixed case, unknown values) and the brute-force truth to check stores against.</summary>
internal static class ContractData
{
    public const int Dim = 8;

    private static readonly string[] Genres = ["Horror", "comedy", "Drama", "Thriller/Suspense", "Romantic Comedy"];
    private static readonly string?[] Types = ["Science Fiction", "Kids Fiction", "Contemporary Fiction", null];
    private static readonly string?[] Ratings = ["PG", "PG-13", "R", "Not Rated", null];
    private static readonly string?[] Directors = ["Ridley Scott", "Steven Spielberg", "Sofia Coppola", null];

    public static CatalogItem Item(string id, IReadOnlyList<string>? genres = null, string? creativeType = null, string? mpaa = null,
        string? director = null, string? source = null, int? year = null, int? runtime = null, double? rating = null) => new()
    {
        Id = id,
        Title = id,
        Genres = genres ?? [],
        CreativeType = creativeType,
        MpaaRating = mpaa,
        Director = director,
        Source = source,
        Year = year,
        RuntimeMinutes = runtime,
        ImdbRating = rating,
        EmbeddingText = id,
    };

    public static VectorRecord[] Records(int count, int seed = 7, string prefix = "item")
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i => new VectorRecord(Item(
            $"{prefix}-{i:D3}",
            genres: Enumerable.Range(0, random.Next(0, 3)).Select(_ => Genres[random.Next(Genres.Length)]).Distinct().ToArray(),
            creativeType: Types[random.Next(Types.Length)],
            mpaa: Ratings[random.Next(Ratings.Length)],
            director: Directors[random.Next(Directors.Length)],
            source: random.Next(3) == 0 ? null : random.Next(2) == 0 ? "Original Screenplay" : "Based on Book/Short Story",
            year: random.Next(6) == 0 ? null : 1970 + random.Next(50),
            runtime: random.Next(6) == 0 ? null : 80 + random.Next(80),
            rating: random.Next(6) == 0 ? null : Math.Round(2 + random.NextDouble() * 7, 1)), Vector(random))).ToArray();
    }

    public static float[] Vector(Random random)
    {
        var v = Enumerable.Range(0, Dim).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }

    public static float[] Queries(int count, int seed = 99)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).SelectMany(_ => Vector(random)).ToArray();
    }

    /// <summary>The right answer: records the filter allows, by inner product, best first (ties in insertion order).</summary>
    public static string[] Truth(IReadOnlyList<VectorRecord> records, ReadOnlySpan<float> query, int k, VectorFilter? filter)
    {
        var q = query.ToArray();
        return records.Select((r, i) => (r, i))
            .Where(x => filter?.Matches(x.r.Item) ?? true)
            .OrderByDescending(x => Dot(q, x.r.Vector.Span)).ThenBy(x => x.i)
            .Take(k).Select(x => x.r.Id).ToArray();
    }

    public static double Dot(float[] a, ReadOnlySpan<float> b)
    {
        var sum = 0d;
        for (var i = 0; i < a.Length; i++) sum += (double)a[i] * b[i];
        return sum;
    }
}
