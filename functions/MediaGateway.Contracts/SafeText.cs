using System.Globalization;
using System.Text;

namespace MediaGateway.Contracts;

/// <summary>
/// Makes text that came from outside (a queue message, an exception about one) safe to log or to store in a
/// job's <c>error</c>: control characters and bidirectional controls become <c>\uXXXX</c>, so one value cannot forge a
/// log line or make one read otherwise than it is, and the length is bounded.
/// </summary>
public static class SafeText
{
    public const int DefaultMaxLength = 500;

    public static bool HasControlCharacters(string? text) => text is not null && text.Any(char.IsControl);

    /// <summary>
    /// The Unicode bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): invisible, they
    /// make the text after them display in another order than it is stored ("Trojan Source").
    /// </summary>
    public static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';

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
