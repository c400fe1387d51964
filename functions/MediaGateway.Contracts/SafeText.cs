using System.Globalization;
using System.Text;

namespace MediaGateway.Contracts;

/// <summary>
/// Makes text that came from outside (a request, a queue message, an exception about one) safe to log, to store in a
/// job's <c>error</c> or to echo in a problem: control characters and bidi overrides and isolates become
/// <c>\uXXXX</c>, so one value cannot forge a log line or reorder how the text around it is displayed ("Trojan
/// Source"), and the length is bounded.
/// </summary>
public static class SafeText
{
    public const int DefaultMaxLength = 500;

    public static bool HasControlCharacters(string? text) => text is not null && text.Any(char.IsControl);

    /// <summary>The explicit bidi embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069).</summary>
    public static bool IsBidiControl(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    /// <summary>The text without bidi controls: for text that is searched and echoed, where they mean nothing.</summary>
    public static string WithoutBidiControls(string text) => text.Any(IsBidiControl) ? string.Concat(text.Where(c => !IsBidiControl(c))) : text;

    public static string Escape(string? text, int maxLength = DefaultMaxLength)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var builder = new StringBuilder(Math.Min(text.Length, maxLength) + 8);
        foreach (var c in text)
        {
            if (builder.Length >= maxLength)
            {
                builder.Append('…');
                break;
            }
            if (char.IsControl(c) || IsBidiControl(c)) builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else builder.Append(c);
        }
        return builder.ToString();
    }
}
