using System.Text.RegularExpressions;
using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Text;

namespace MediaGateway.Engine.Query;

/// <summary>How well an item answers the plan's words (0–1), which fields it matched, and why, in words.</summary>
public sealed record Enrichment(float OntologyMatch, IReadOnlyList<string> MatchedFields, IReadOnlyList<string> Reasons);

/// <summary>
/// Scores a candidate against a <see cref="PlannedQuery"/>: the title's share of the query's unread words,
/// each preference it satisfies (a concept by how it carries it through the graph: exact 1, narrower 0.8 per
/// level, related 0.5), and, for "more like X", what it shares with X. Explanations name the concept path and
/// the constraint that admitted the item.
/// </summary>
public sealed partial class Enricher
{
    /// <summary>Reasons per hit are capped: an explanation, not a copy of the query (issue 9).</summary>
    public const int MaxReasons = 8;

    private readonly ICatalogStore catalog;
    // Each title's folded words, computed once: folding and splitting a title per candidate per query was the
    // largest part of the enrich stage (QueryStagesBenchmark, docs/performance.md).
    private readonly Dictionary<string, HashSet<string>> _titleWords;

    public Enricher(ICatalogStore catalog)
    {
        this.catalog = catalog;
        _titleWords = new Dictionary<string, HashSet<string>>(catalog.Count, StringComparer.Ordinal);
        foreach (var item in catalog.Items) _titleWords[item.Id] = TitleWords(item);
    }

    /// <summary>Every word of the title but its grammar ("the", "of") is one of the query's words.</summary>
    private static bool NamesWholeTitle(HashSet<string> titleWords, IReadOnlyList<string> contentWords)
    {
        foreach (var word in titleWords)
            if (!QueryPlanner.IsFunctionWord(word) && !contentWords.Contains(word)) return false;
        return true;
    }

    /// <summary>The title's words with its numbers as digits (<see cref="SequelNumber"/>), as the plan's content words are.</summary>
    private static HashSet<string> TitleWords(CatalogItem item) =>
        Words(TextFolding.FoldAccents(item.Title).ToLowerInvariant()).Select(SequelNumber.Canonical).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// How well the item answers the plan (0–1), without the explanation: what ranking needs for every candidate.
    /// Only the hits a response returns are explained (<see cref="Enrich"/>); building every candidate's reasons
    /// was most of the enrich stage's time.
    /// </summary>
    public float Score(PlannedQuery plan, CatalogItem item) => Evaluate(plan, item, reason: null);

    /// <summary>The score and its explanation: the fields matched and the reasons, in words.</summary>
    public Enrichment Enrich(PlannedQuery plan, CatalogItem item)
    {
        var fields = new List<string>();
        var reasons = new List<string>();
        var score = Evaluate(plan, item, (field, reason) =>
        {
            if (!fields.Contains(field)) fields.Add(field);
            if (reasons.Count < MaxReasons && !reasons.Contains(reason)) reasons.Add(reason);
        });
        return new Enrichment(score, fields, reasons);
    }

    /// <summary>The range of "from the 60s or the 80s" that the item is in.</summary>
    private static RangeConstraint? MatchingRange(AnyConstraint? any, CatalogItem item) =>
        any?.Options.OfType<RangeConstraint>().FirstOrDefault(r => r.Matches(item));

    /// <param name="reason">Told each (field, reason) when explaining; null when only scoring (the words are then never built).</param>
    private float Evaluate(PlannedQuery plan, CatalogItem item, Action<string, string>? reason)
    {
        var titleWords = _titleWords.TryGetValue(item.Id, out var words) ? words : TitleWords(item);
        var titleHits = 0;
        for (var i = 0; i < plan.ContentWords.Count; i++) // a loop, not LINQ: this runs for every candidate of every query
            if (titleWords.Contains(plan.ContentWords[i])) titleHits++;
        // One word shared with a title, in a query that asks for more than its words, is a title only when it is the whole
        // title ("alien movies for kids" → Alien, not "sad movies that make you cry" → Boys Don't Cry).
        if (titleHits == 1 && !plan.OnlyWords && !NamesWholeTitle(titleWords, plan.ContentWords)) titleHits = 0;
        var titleScore = plan.ContentWords.Count == 0 ? 0f : (float)titleHits / plan.ContentWords.Count;
        if (titleHits > 0) reason?.Invoke("title", $"title contains \"{string.Join(' ', plan.ContentWords.Where(titleWords.Contains))}\"");

        // What admitted the item: numbers and request filters (concept filters are explained as preferences below).
        // Only explanations read them; the score does not.
        if (reason is not null)
            foreach (var c in plan.Constraints)
                if ((c.Constraint as RangeConstraint ?? MatchingRange(c.Constraint as AnyConstraint, item)) is { } range && range.Matches(item) && range.Attribute.Read(item) is not null)
                    reason(range.Attribute.Name, range.Explain(item));
                else if (c.Constraint is FacetConstraint facet && facet.Matches(item))
                    reason(FieldOf(facet.Explain(item)), $"\"{c.Phrase}\" → {facet.Explain(item)}");

        double satisfied = 0, possible = 1;
        for (var i = 0; i < plan.Preferences.Count; i++)
        {
            var p = plan.Preferences[i];
            possible += p.Weight;
            if (p.Constraint is ConceptConstraint concept)
            {
                if (concept.BestMatch(item) is not { } e) continue;
                satisfied += p.Weight * concept.Degree(item, e);
                reason?.Invoke(e.Concept.Facets.Count > 0 ? Ontology.FacetValue.NameOf(e.Concept.Facets[0].Field) : "year", $"\"{p.Phrase}\" → {concept.Explain(item)}");
            }
            else if (p.Constraint.Matches(item))
            {
                satisfied += p.Weight * (p.Constraint is RangeConstraint graded ? graded.Degree(item) : 1);
                reason?.Invoke(p.Constraint is RangeConstraint r ? r.Attribute.Name : "preference", $"\"{p.Phrase}\" → {p.Constraint.Explain(item)}");
            }
        }

        if (plan.ReferenceRow is { } row)
        {
            possible += 1;
            satisfied += SharedWithReference(item, catalog[row], reason);
        }

        return (float)((satisfied + titleScore) / possible);
    }

    /// <summary>For "more like X": the share of X's genre and creative type that the item has too (0, ½ or 1).</summary>
    private static float SharedWithReference(CatalogItem item, CatalogItem reference, Action<string, string>? reason)
    {
        var shared = reference.Genres.Where(g => item.Genres.Contains(g, StringComparer.OrdinalIgnoreCase)).ToList();
        if (reference.CreativeType is { } type && string.Equals(item.CreativeType, type, StringComparison.OrdinalIgnoreCase)) shared.Add(type);
        if (shared.Count == 0) return 0f;
        reason?.Invoke("similarTo", $"like {reference.Title}{(reference.Year is { } y ? $" ({y})" : "")}: {string.Join(", ", shared)}");
        return Math.Min(1f, shared.Count / 2f);
    }

    private static string FieldOf(string explanation) => explanation.Split(' ', 2)[0];

    private static IEnumerable<string> Words(string text) => WordPattern().Matches(text).Select(m => m.Value);

    [GeneratedRegex(@"[\p{L}\p{N}]+", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();
}
