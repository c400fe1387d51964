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

    public CatalogOntology(IEnumerable<CatalogItem> items)
    {
        var known = new HashSet<(string, string)>();
        var directors = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in items)
        {
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
        foreach (var (pattern, concept) in _entries)
            if (pattern.IsMatch(normalizedQuery) && !found.Any(c => c.Field == concept.Field && c.Value == concept.Value))
                found.Add(concept);
        foreach (Match m in DecadePattern().Matches(normalizedQuery))
        {
            var digits = m.Groups["y"].Value;
            var decade = digits.Length == 4 ? int.Parse(digits) : (int.Parse(digits) >= 30 ? 1900 : 2000) + int.Parse(digits);
            found.Add(new QueryConcept(m.Value, "decade", $"{decade}s"));
        }
        return found;
    }

    private void Add(string phrase, string field, string value) =>
        _entries.Add((new Regex($@"(?<![\p{{L}}\p{{N}}]){Regex.Escape(phrase)}(?![\p{{L}}\p{{N}}])", RegexOptions.CultureInvariant), new QueryConcept(phrase, field, value)));

    // "80s", "1980s", "'80s"
    [GeneratedRegex(@"(?<![\p{L}\p{N}])'?(?<y>(1[89]|20)?[0-9]0)s(?![\p{L}\p{N}])", RegexOptions.CultureInvariant)]
    private static partial Regex DecadePattern();
}
