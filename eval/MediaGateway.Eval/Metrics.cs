namespace MediaGateway.Eval;

/// <summary>nDCG@10, P@10 and MRR of one ranked list against the grades of the whole catalog.</summary>
public readonly record struct Metrics(double Ndcg, double Precision, double Mrr)
{
    public const int K = 10;

    /// <param name="ranked">Grades of the returned items, best first.</param>
    /// <param name="allGrades">Grades of every catalog item (for the ideal ranking and the number relevant).</param>
    public static Metrics Of(IReadOnlyList<int> ranked, IEnumerable<int> allGrades)
    {
        var all = allGrades.Where(g => g > 0).OrderDescending().ToArray();
        if (all.Length == 0) return new Metrics(0, 0, 0);
        var dcg = ranked.Take(K).Select((g, i) => (Math.Pow(2, g) - 1) / Math.Log2(i + 2)).Sum();
        var idcg = all.Take(K).Select((g, i) => (Math.Pow(2, g) - 1) / Math.Log2(i + 2)).Sum();
        // Precision over what can be relevant: a query with 3 relevant items in the catalog scores 1 for finding all 3.
        var precision = ranked.Take(K).Count(g => g > 0) / (double)Math.Min(K, all.Length);
        var first = -1;
        for (var i = 0; i < Math.Min(K, ranked.Count); i++)
            if (ranked[i] > 0) { first = i; break; }
        return new Metrics(dcg / idcg, precision, first < 0 ? 0 : 1.0 / (first + 1));
    }

    public static Metrics Mean(IEnumerable<Metrics> all)
    {
        var list = all.ToArray();
        return list.Length == 0 ? default : new Metrics(list.Average(m => m.Ndcg), list.Average(m => m.Precision), list.Average(m => m.Mrr));
    }
}
