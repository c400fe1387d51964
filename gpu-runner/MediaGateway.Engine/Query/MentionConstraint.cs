using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.VectorSearch;
using MediaGateway.Engine.VectorStores;

namespace MediaGateway.Engine.Query;

/// <summary>
/// The item's title, description or distributor names one of <see cref="Phrases"/> (whole words, as <see cref="QueryText.Words"/>
/// reads text, plurals folded as concept labels fold them: "zombies" names "zombie"). What an exclusion can test when the catalog has
/// no value for what is excluded: "horror but not zombies" (a sub-genre no item records), "war films but not vietnam".
/// Only exclusions use it, and only the words the catalog itself holds, so it never guesses beyond them.
/// </summary>
public sealed record MentionConstraint(IReadOnlyList<string> Phrases, string Description) : IConstraint
{
    private readonly string[][] _phrases = Phrases.Select(WordsOf).Where(w => w.Length > 0).Distinct(PhraseComparer.Instance).ToArray();

    public string Describe() => Description;

    public bool Matches(CatalogItem item) => Mentioned(CatalogIndex.MentionWordsOf(item)) is not null;

    public RowFilter Rows(CatalogIndex index)
    {
        var rows = new RowFilter(index.Rows);
        for (var row = 0; row < index.Rows; row++)
            if (Mentioned(index.MentionWords(row)) is not null) rows.Set(row);
        return rows;
    }

    public string Explain(CatalogItem item) => Mentioned(CatalogIndex.MentionWordsOf(item)) is { } phrase ? $"names \"{string.Join(' ', phrase)}\"" : Describe();

    // Words in titles and descriptions are not fields a vector store keeps: the engine sends the admitted rows as ids.
    public FilterClause? ToClause() => null;

    /// <summary>The words of a text as mentions compare them: lower case, accents folded, plurals folded as labels fold them.</summary>
    public static string[] WordsOf(string text) =>
        QueryText.Words(text).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(ConceptLabels.Singular).ToArray();

    private string[]? Mentioned(string[] words)
    {
        foreach (var phrase in _phrases)
            for (var i = 0; i + phrase.Length <= words.Length; i++)
                if (words.AsSpan(i, phrase.Length).SequenceEqual(phrase)) return phrase;
        return null;
    }

    private sealed class PhraseComparer : IEqualityComparer<string[]>
    {
        public static readonly PhraseComparer Instance = new();
        public bool Equals(string[]? a, string[]? b) => a.AsSpan().SequenceEqual(b);
        public int GetHashCode(string[] words) => string.Join(' ', words).GetHashCode(StringComparison.Ordinal);
    }
}
