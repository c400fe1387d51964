using System.Text;

namespace MediaGateway.Engine.Text;

/// <summary>
/// Repairs text whose Windows-1252 bytes were read as Mac Roman somewhere before it reached us: the demo catalog
/// has "DÈj‡ Vu" for "Déjà Vu", "Die F‰lscher" for "Die Fälscher", "La MÙme" for "La Môme". Such text has capitals or
/// symbols inside lower-case words, where real titles have none. The repair (Mac Roman bytes read as Windows-1252) is
/// kept only when it leaves none of them, so correct text ("AMÉLIE", "WALL·E"), curly quotes, and text that is not
/// Mac Roman at all ("Alien³") stay. The importer repairs titles only when a file has several such (one odd title,
/// "Paral·lel" in Catalan, is no evidence of the mix-up). .NET's code-page encodings do the byte work; no served
/// package recognises the pattern itself.
/// </summary>
public static class MojibakeRepair
{
    private static readonly Encoding MacRoman, Windows1252;

    static MojibakeRepair()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        MacRoman = Encoding.GetEncoding(10000, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        Windows1252 = Encoding.GetEncoding(1252, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }

    /// <summary>The text as it was meant, when it looks like Windows-1252 read as Mac Roman and the repair clears that.</summary>
    public static bool TryRepair(string text, out string repaired)
    {
        repaired = text;
        if (Ascii.IsValid(text) || Misplaced(text) == 0) return false;
        string candidate;
        try
        {
            candidate = Windows1252.GetString(MacRoman.GetBytes(text));
        }
        catch (Exception e) when (e is EncoderFallbackException or DecoderFallbackException)
        {
            return false;   // a character Mac Roman cannot hold, or a byte Windows-1252 has none for: not this mix-up
        }
        if (Misplaced(candidate) > 0) return false;
        repaired = candidate;
        return true;
    }

    /// <summary>
    /// Non-ASCII characters out of place in a word: a capital after a lower-case letter ("CachÈ") or between a letter
    /// and a lower-case one ("LÈon"); a symbol between a letter and a lower-case one ("F‰lscher") or ending a
    /// lower-case word ("pi˘").
    /// </summary>
    private static int Misplaced(string text)
    {
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 0x80 || char.IsLower(c)) continue;
            var prev = i > 0 ? text[i - 1] : ' ';
            var next = i + 1 < text.Length ? text[i + 1] : ' ';
            var misplaced = char.IsUpper(c)
                ? char.IsLower(prev) || char.IsLetter(prev) && char.IsLower(next)
                : !char.IsLetter(c) && (char.IsLetter(prev) && char.IsLower(next) || char.IsLower(prev) && char.IsWhiteSpace(next));
            if (misplaced) count++;
        }
        return count;
    }
}
