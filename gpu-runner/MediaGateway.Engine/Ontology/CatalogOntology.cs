using System.Text.RegularExpressions;
using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Text;

namespace MediaGateway.Engine.Ontology;

/// <summary>
/// The embedded ontology: every genre, creative type, source, MPAA rating and director that occurs in the
/// catalog, reachable by its own name and by the everyday synonyms below.
/// </summary>
public sealed partial class CatalogOntology : IOntologyStore
{
    // Everyday words → (field, catalog value). Only values that exist in the catalog are kept.
    private static readonly (string Phrase, string Field, string Value)[] Synonyms =
    [
        ("scary", "genre", "Horror"), ("horror", "genre", "Horror"), ("frightening", "genre", "Horror"), ("creepy", "genre", "Horror"),
        ("funny", "genre", "Comedy"), ("comedy", "genre", "Comedy"), ("hilarious", "genre", "Comedy"), ("comedies", "genre", "Comedy"),
        ("romantic", "genre", "Romantic Comedy"), ("romcom", "genre", "Romantic Comedy"),
        ("thriller", "genre", "Thriller/Suspense"), ("suspense", "genre", "Thriller/Suspense"), ("suspenseful", "genre", "Thriller/Suspense"),
        ("action", "genre", "Action"), ("adventure", "genre", "Adventure"), ("drama", "genre", "Drama"), ("dramatic", "genre", "Drama"),
        ("western", "genre", "Western"), ("cowboy", "genre", "Western"), ("musical", "genre", "Musical"),
        ("documentary", "genre", "Documentary"), ("concert", "genre", "Concert/Performance"), ("dark comedy", "genre", "Black Comedy"),
        ("kids", "creativeType", "Kids Fiction"), ("children", "creativeType", "Kids Fiction"), ("family", "creativeType", "Kids Fiction"),
        ("sci-fi", "creativeType", "Science Fiction"), ("science fiction", "creativeType", "Science Fiction"), ("space", "creativeType", "Science Fiction"),
        ("fantasy", "creativeType", "Fantasy"), ("superhero", "creativeType", "Super Hero"), ("super hero", "creativeType", "Super Hero"),
        ("historical", "creativeType", "Historical Fiction"), ("period", "creativeType", "Historical Fiction"),
        ("true story", "source", "Based on Real Life Events"), ("real events", "source", "Based on Real Life Events"),
        ("based on a book", "source", "Based on Book/Short Story"), ("novel", "source", "Based on Book/Short Story"),
        ("comic", "source", "Based on Comic/Graphic Novel"), ("remake", "source", "Remake"), ("video game", "source", "Based on Game"),
        ("fairytale", "source", "Traditional/Legend/Fairytale"), ("fairy tale", "source", "Traditional/Legend/Fairytale"),
    ];

    private readonly List<(Regex Pattern, QueryConcept Concept)> _entries = [];
    // Folded, lower-case title → the best-known item of that title (most IMDB votes), for "more like <title>".
    private readonly Dictionary<string, CatalogItem> _titles = new(StringComparer.Ordinal);

    public CatalogOntology(IEnumerable<CatalogItem> items)
    {
        var known = new HashSet<(string, string)>();
        var directors = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in items)
        {
            var title = TextFolding.FoldAccents(item.Title).ToLowerInvariant();
            if (!_titles.TryGetValue(title, out var same) || (item.ImdbVotes ?? 0) > (same.ImdbVotes ?? 0)) _titles[title] = item;
            foreach (var g in item.Genres) known.Add(("genre", g));
            if (item.CreativeType is { } ct) known.Add(("creativeType", ct));
            if (item.Source is { } s) known.Add(("source", s));
            if (item.MpaaRating is { } m) known.Add(("mpaaRating", m));
            if (item.Director is { } d) directors.Add(d);
        }

        foreach (var (phrase, field, value) in Synonyms)
            if (known.Contains((field, value))) Add(phrase, field, value);
        foreach (var (field, value) in known)
            if (field != "mpaaRating" && value.Length >= 4) Add(TextFolding.FoldAccents(value).ToLowerInvariant(), field, value);
        foreach (var rating in new[] { "PG-13", "NC-17", "PG", "G", "R" })
            if (known.Contains(("mpaaRating", rating))) Add($"rated {rating.ToLowerInvariant()}", "mpaaRating", rating);
        foreach (var director in directors)
            Add(TextFolding.FoldAccents(director).ToLowerInvariant(), "director", director);
    }

    public IReadOnlyList<QueryConcept> ConceptsIn(string normalizedQuery)
    {
        var found = new List<QueryConcept>();
        // What follows "but" is what the caller insists on: "more like alien, but for kids".
        var insisted = ButClause().Match(normalizedQuery) is { Success: true } but ? but.Index : int.MaxValue;
        foreach (var (pattern, concept) in _entries)
            if (pattern.Match(normalizedQuery) is { Success: true } m && !found.Any(c => c.Field == concept.Field && c.Value == concept.Value))
                found.Add(concept with { Required = m.Index > insisted });
        foreach (Match m in DecadePattern().Matches(normalizedQuery))
        {
            var digits = m.Groups["y"].Value;
            var decade = digits.Length == 4 ? int.Parse(digits) : (int.Parse(digits) >= 30 ? 1900 : 2000) + int.Parse(digits);
            found.Add(new QueryConcept(m.Value, "decade", $"{decade}s", m.Index > insisted));
        }
        foreach (Match m in RuntimePattern().Matches(normalizedQuery))
        {
            var amount = m.Groups["n"].Value switch { "a" or "an" or "one" => 1, "two" => 2, "three" => 3, var n => int.Parse(n) };
            var minutes = m.Groups["unit"].Value.StartsWith('h') ? amount * 60 : amount;
            var atMost = m.Groups["dir"].Value is "under" or "less than" or "shorter than" or "below" or "at most";
            found.Add(new QueryConcept(m.Value, atMost ? "runtimeAtMost" : "runtimeAtLeast", minutes.ToString(System.Globalization.CultureInfo.InvariantCulture), m.Index > insisted));
        }
        if (ReferenceTo(normalizedQuery) is { } reference)
            found.Add(reference);
        return found;
    }

    /// <summary>"more like alien, but for kids" → similarTo alien-1979: the phrase after "like", up to a clause break, names a catalog title.</summary>
    private QueryConcept? ReferenceTo(string normalizedQuery)
    {
        var m = LikePattern().Match(normalizedQuery);
        if (!m.Success) return null;
        var phrase = m.Groups["title"].Value.Trim();
        foreach (var candidate in new[] { phrase, phrase.StartsWith("the ", StringComparison.Ordinal) ? phrase[4..] : "the " + phrase })
            if (_titles.TryGetValue(candidate, out var item)) return new QueryConcept(m.Value.Trim(), "similarTo", item.Id);
        return null;
    }

    private void Add(string phrase, string field, string value) =>
        _entries.Add((new Regex($@"(?<![\p{{L}}\p{{N}}]){Regex.Escape(phrase)}(?![\p{{L}}\p{{N}}])", RegexOptions.CultureInvariant), new QueryConcept(phrase, field, value)));

    // "under two hours", "less than 90 minutes", "over 2 hrs"
    [GeneratedRegex(@"(?<dir>under|less than|shorter than|below|at most|over|more than|longer than|at least)\s+(?<n>\d{1,3}|an?|one|two|three)\s*(?<unit>hours?|hrs?|minutes?|mins?)(?![\p{L}])", RegexOptions.CultureInvariant)]
    private static partial Regex RuntimePattern();

    // "like alien", "more like the thing, but…": the title ends at a clause break or the end.
    [GeneratedRegex(@"(?<![\p{L}])like\s+(?<title>[^,;.!?]+?)(?=\s*(?:[,;.!?]|\s(?:but|for|from|with|under|over|in|and|except)\s|$))", RegexOptions.CultureInvariant)]
    private static partial Regex LikePattern();

    [GeneratedRegex(@"(?<![\p{L}])but\s", RegexOptions.CultureInvariant)]
    private static partial Regex ButClause();

    // "80s", "1980s", "'80s"
    [GeneratedRegex(@"(?<![\p{L}\p{N}])'?(?<y>(1[89]|20)?[0-9]0)s(?![\p{L}\p{N}])", RegexOptions.CultureInvariant)]
    private static partial Regex DecadePattern();
}
