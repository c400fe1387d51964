using System.Text.RegularExpressions;
using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Text;

namespace MediaGateway.Engine.Ontology;

/// <summary>Which of the query's concepts and words an item matches, and how strongly (0–1).</summary>
public sealed record Enrichment(float OntologyMatch, IReadOnlyList<string> MatchedFields, IReadOnlyList<string> Reasons);

/// <summary>Explains a candidate against the query: title words, and ontology concepts the item carries.</summary>
public sealed partial class Enricher(IOntologyStore ontology)
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

        var conceptHits = 0;
        foreach (var c in query.Concepts)
        {
            if (!Carries(item, c)) continue;
            conceptHits++;
            if (!fields.Contains(c.Field)) fields.Add(c.Field);
            reasons.Add($"\"{c.Phrase}\" → {c.Field} {c.Value}");
        }

        // Each concept counts once and the title as a whole counts once, so the score stays in [0, 1].
        var score = (conceptHits + titleScore) / (query.Concepts.Count + 1f);
        return new Enrichment(score, fields, reasons);
    }

    private static bool Carries(CatalogItem item, QueryConcept c) => c.Field switch
    {
        "genre" => item.Genres.Contains(c.Value, StringComparer.OrdinalIgnoreCase),
        "creativeType" => string.Equals(item.CreativeType, c.Value, StringComparison.OrdinalIgnoreCase),
        "source" => string.Equals(item.Source, c.Value, StringComparison.OrdinalIgnoreCase),
        "mpaaRating" => string.Equals(item.MpaaRating, c.Value, StringComparison.OrdinalIgnoreCase),
        "director" => string.Equals(item.Director, c.Value, StringComparison.OrdinalIgnoreCase),
        "decade" => item.Year is { } y && $"{y / 10 * 10}s" == c.Value,
        _ => false,
    };

    private static IEnumerable<string> Words(string text) => WordPattern().Matches(text).Select(m => m.Value);

    [GeneratedRegex(@"[\p{L}\p{N}]+", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();
}
