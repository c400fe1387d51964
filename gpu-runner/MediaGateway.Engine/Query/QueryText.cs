using System.Text.RegularExpressions;
using MediaGateway.Engine.Text;

namespace MediaGateway.Engine.Query;

/// <summary>
/// The query being read: folded to lower-case ASCII-ish text, split into words, with the spans that rules
/// have already read marked, so that no phrase is read twice ("90 minutes" is a runtime, so its "90" is not
/// then a decade).
/// </summary>
public sealed partial class QueryText
{
    private readonly bool[] _consumed;

    public QueryText(string query)
    {
        // Folded, lower-cased, and curly quotes/dashes made plain, so patterns need one spelling.
        Normalized = TextFolding.FoldAccents(query).ToLowerInvariant()
            .Replace('\u2019', '\'').Replace('\u2018', '\'').Replace('\u2013', '-').Replace('\u2014', '-');
        _consumed = new bool[Normalized.Length];
        Tokens = WordPattern().Matches(Normalized).Select(m => new Token(m.Value, m.Index, m.Index + m.Length)).ToArray();
    }

    public readonly record struct Token(string Value, int Start, int End);

    public string Normalized { get; }

    public IReadOnlyList<Token> Tokens { get; }

    public bool IsFree(int start, int end)
    {
        for (var i = start; i < end; i++)
            if (_consumed[i]) return false;
        return true;
    }

    /// <summary>Marks [start, end) as read; false (and nothing marked) when part of it was read already.</summary>
    public bool TryConsume(int start, int end)
    {
        if (!IsFree(start, end)) return false;
        for (var i = start; i < end; i++) _consumed[i] = true;
        return true;
    }

    public bool IsFree(Token t) => IsFree(t.Start, t.End);

    /// <summary>Word runs: the folded label spelling the label index uses ("Sci-Fi" → "sci fi").</summary>
    public static string Words(string text) =>
        string.Join(' ', WordPattern().Matches(TextFolding.FoldAccents(text).ToLowerInvariant()).Select(m => m.Value));

    [GeneratedRegex(@"[\p{L}\p{N}]+", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();
}
