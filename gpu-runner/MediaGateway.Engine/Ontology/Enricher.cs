using System.Text.RegularExpressions;
using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Text;

namespace MediaGateway.Engine.Ontology;

/// <summary>Which of the query's concepts and words an item matches, and how strongly (0–1).</summary>
public sealed record Enrichment(float OntologyMatch, IReadOnlyList<string> MatchedFields, IReadOnlyList<string> Reasons);

/// <summary>Explains a candidate against the query: title words, and ontology concepts the item carries.</summary>
public sealed partial class Enricher(IOntologyStore ontology, ICatalogStore catalog)
{
    private static readonly HashSet<string> StopWords =
        ["a", "an", "the", "of", "and", "or", "in", "on", "for", "from", "with", "to", "like", "more", "but", "film", "films", "movie", "movies", "under", "about", "some", "me", "something"];

    /// <summary>The query's analysis, done once per query and reused for every candidate.</summary>
    public sealed record QueryAnalysis(string Normalized, IReadOnlyList<string> ContentWords, IReadOnlyList<QueryConcept> Concepts);

    public QueryAnalysis Analyze(string query)
    {
        var normalized = TextFolding.FoldAccents(query).ToLowerInvariant();
        return new QueryAnalysis(normalized, Words(normalized).Where(w => !StopWords.Contains(w)).Distinct().ToArray(), ontology.ConceptsIn(normalized));
    }

    public Enrichment Enrich(QueryAnalysis query, CatalogItem item)
    {
        var fields = new List<string>();
        var reasons = new List<string>();

        var titleWords = Words(TextFolding.FoldAccents(item.Title).ToLowerInvariant()).ToHashSet();
        var titleHits = query.ContentWords.Count(titleWords.Contains);
        var titleScore = query.ContentWords.Count == 0 ? 0f : (float)titleHits / query.ContentWords.Count;
        if (titleHits > 0)
        {
            fields.Add("title");
            reasons.Add($"title contains \"{string.Join(' ', query.ContentWords.Where(titleWords.Contains))}\"");
        }

        var conceptHits = 0f;
        foreach (var c in query.Concepts)
        {
            if (c.Field == "similarTo")
            {
                conceptHits += SharedWithReference(item, c, fields, reasons);
                continue;
            }
            if (!Carries(item, c)) continue;
            conceptHits++;
            if (!fields.Contains(c.Field)) fields.Add(c.Field);
            reasons.Add($"\"{c.Phrase}\" → {c.Field} {c.Value}");
        }

        // Each concept counts once and the title as a whole counts once, so the score stays in [0, 1].
        var score = (conceptHits + titleScore) / (query.Concepts.Count + 1f);
        return new Enrichment(score, fields, reasons);
    }

    /// <summary>For "more like X": the share of X's genre and creative type that the item has too (0, ½ or 1).</summary>
    private float SharedWithReference(CatalogItem item, QueryConcept c, List<string> fields, List<string> reasons)
    {
        if (!catalog.TryGetRow(c.Value, out var row)) return 0f;
        var reference = catalog[row];
        var shared = new List<string>();
        foreach (var genre in reference.Genres.Where(g => item.Genres.Contains(g, StringComparer.OrdinalIgnoreCase))) shared.Add(genre);
        if (reference.CreativeType is { } type && string.Equals(item.CreativeType, type, StringComparison.OrdinalIgnoreCase)) shared.Add(type);
        if (shared.Count == 0) return 0f;
        fields.Add("similarTo");
        reasons.Add($"like {reference.Title}{(reference.Year is { } y ? $" ({y})" : "")}: {string.Join(", ", shared)}");
        return Math.Min(1f, shared.Count / 2f);
    }

    /// <summary>Whether the item has the concept's facet (for "similarTo", never: it is a direction, not a facet).</summary>
    public static bool Carries(CatalogItem item, QueryConcept c) => c.Field switch
    {
        "genre" => item.Genres.Contains(c.Value, StringComparer.OrdinalIgnoreCase),
        "creativeType" => string.Equals(item.CreativeType, c.Value, StringComparison.OrdinalIgnoreCase),
        "source" => string.Equals(item.Source, c.Value, StringComparison.OrdinalIgnoreCase),
        "mpaaRating" => string.Equals(item.MpaaRating, c.Value, StringComparison.OrdinalIgnoreCase),
        "director" => string.Equals(item.Director, c.Value, StringComparison.OrdinalIgnoreCase),
        "decade" => item.Year is { } y && $"{y / 10 * 10}s" == c.Value,
        "runtimeAtMost" => item.RuntimeMinutes is { } r && r <= int.Parse(c.Value),
        "runtimeAtLeast" => item.RuntimeMinutes is { } r && r >= int.Parse(c.Value),
        _ => false,
    };

    private static IEnumerable<string> Words(string text) => WordPattern().Matches(text).Select(m => m.Value);

    [GeneratedRegex(@"[\p{L}\p{N}]+", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();
}
