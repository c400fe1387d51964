using System.Text;
using MediaGateway.Contracts;

namespace MediaGateway.Engine.Catalog;

/// <summary>
/// Text fields as the catalog keeps them. Control characters and the Unicode bidirectional controls
/// (<see cref="SafeText.IsBidiControl"/>) are removed: they are invisible, and would let a title show in a result as
/// something other than it is. A line break or tab becomes a space, so words do not run together. Text longer than
/// its field's cap (<see cref="MediaGateway.Contracts.Imports.CatalogImportLimits"/>) is cut. Each change is flagged
/// on the item ("titleControlCharactersRemoved: 2", "descriptionTruncated: 12000 characters, kept 10000").
/// </summary>
public static class CatalogText
{
    /// <summary><paramref name="text"/> cleaned and capped; null when nothing is left (or it was null).</summary>
    public static string? Clean(string? text, string field, int maxLength, List<string> flags)
    {
        if (text is null) return null;
        var cleaned = Strip(text, out var removed);
        if (removed > 0) flags.Add($"{field}ControlCharactersRemoved: {removed}");
        return cleaned.Length == 0 ? null : Cap(cleaned, field, maxLength, flags);
    }

    /// <summary>Each of <paramref name="texts"/> cleaned and capped (those left empty dropped), the removals flagged once for the field.</summary>
    public static IReadOnlyList<string> CleanAll(IEnumerable<string> texts, string field, int maxLength, List<string> flags)
    {
        var cleaned = new List<string>();
        var removed = 0;
        foreach (var text in texts)
        {
            var stripped = Strip(text, out var fromThis);
            removed += fromThis;
            if (stripped.Length > 0) cleaned.Add(Cap(stripped, field, maxLength, flags));
        }
        if (removed > 0) flags.Add($"{field}ControlCharactersRemoved: {removed}");
        return cleaned;
    }

    private static string Strip(string text, out int removed)
    {
        removed = text.Count(IsRemoved);
        if (removed == 0) return text;
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!IsRemoved(c)) sb.Append(c);
            else if (char.IsWhiteSpace(c) && sb.Length > 0 && sb[^1] != ' ') sb.Append(' ');
        }
        return sb.ToString().Trim();
    }

    private static bool IsRemoved(char c) => char.IsControl(c) || SafeText.IsBidiControl(c);

    private static string Cap(string text, string field, int maxLength, List<string> flags)
    {
        if (text.Length <= maxLength) return text;
        var kept = char.IsHighSurrogate(text[maxLength - 1]) ? maxLength - 1 : maxLength; // never half a character
        flags.Add($"{field}Truncated: {text.Length} characters, kept {kept}");
        return text[..kept];
    }
}
