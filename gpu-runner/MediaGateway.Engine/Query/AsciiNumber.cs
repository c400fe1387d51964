using System.Globalization;

namespace MediaGateway.Engine.Query;

/// <summary>
/// Numbers in user text. Only ASCII digits count (a regex's <c>\d</c> also matches '٩' and other Unicode
/// digits, which int.Parse then rejects: issue 9), lengths are bounded, and nothing here throws.
/// </summary>
public static class AsciiNumber
{
    /// <summary>A whole number from one to ninety-nine in words: "seven", "fifteen", "ninety", "ninety-five", "ninety five".</summary>
    public const string WordPattern =
        @"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine)(?![\p{L}]))?"
        + "|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|one|two|three|four|five|six|seven|eight|nine|ten)";

    /// <summary>The regex fragment for a number: ASCII digits with an optional decimal part, or a number in words.</summary>
    public const string Pattern = @"(?:[0-9]{1,12}(?:\.[0-9]{1,3})?|" + WordPattern + "|an?|half)";

    private static readonly Dictionary<string, double> Words = new(StringComparer.Ordinal)
    {
        ["a"] = 1, ["an"] = 1, ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5,
        ["six"] = 6, ["seven"] = 7, ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["half"] = 0.5,
        ["eleven"] = 11, ["twelve"] = 12, ["thirteen"] = 13, ["fourteen"] = 14, ["fifteen"] = 15, ["sixteen"] = 16,
        ["seventeen"] = 17, ["eighteen"] = 18, ["nineteen"] = 19, ["twenty"] = 20, ["thirty"] = 30, ["forty"] = 40,
        ["fifty"] = 50, ["sixty"] = 60, ["seventy"] = 70, ["eighty"] = 80, ["ninety"] = 90,
    };

    public static bool TryParse(string? text, out double value)
    {
        value = 0;
        if (string.IsNullOrEmpty(text) || text.Length > 16) return false;
        if (Words.TryGetValue(text, out value)) return true;
        // "ninety-five", "ninety five": tens, then units.
        if (text.IndexOfAny([' ', '-']) is var split and > 0 && Words.TryGetValue(text[..split], out var tens) && tens is >= 20 and <= 90
            && Words.TryGetValue(text[(split + 1)..], out var units) && units is >= 1 and <= 9)
        {
            value = tens + units;
            return true;
        }
        foreach (var c in text)
            if (!char.IsAsciiDigit(c) && c != '.') return false;
        return double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    /// <summary>"500" + "million" → 5e8; "1.2" + "billion" → 1.2e9; "$40m" style suffixes too.</summary>
    public static bool TryParseMoney(string? number, string? multiplier, out double dollars)
    {
        dollars = 0;
        if (!TryParse(number, out var n)) return false;
        dollars = n * (multiplier switch
        {
            "billion" or "bn" or "b" => 1e9,
            "million" or "mil" or "m" or "mn" => 1e6,
            "thousand" or "k" => 1e3,
            _ => 1,
        });
        return true;
    }
}
