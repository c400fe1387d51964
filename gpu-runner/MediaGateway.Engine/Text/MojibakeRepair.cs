using System.Text;

namespace MediaGateway.Engine.Text;

/// <summary>
/// Repairs text whose Windows-1252 bytes were read as Mac Roman somewhere before it reached us: the demo catalog
/// has "DÈj‡ Vu" for "Déjà Vu", "Die F‰lscher" for "Die Fälscher", "La MÙme" for "La Môme". Such text has capitals or
/// symbols inside lower-case words, where real titles have none; the repair (Mac Roman bytes read as Windows-1252) is
/// kept only when it leaves fewer of them, so correct text, and text that is not Mac Roman at all ("Alien³"), stays.
/// .NET's code-page encodings do the byte work; no served package recognises the pattern itself.
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

    /// <summary>The text as it was meant, or unchanged when it does not look like Windows-1252 read as Mac Roman.</summary>
    public static string Repair(string text)
    {
        if (Ascii.IsValid(text)) return text;
        var misplaced = Misplaced(text);
        if (misplaced == 0) return text;
        string repaired;
        try
        {
            repaired = Windows1252.GetString(MacRoman.GetBytes(text));
        }
        catch (Exception e) when (e is EncoderFallbackException or DecoderFallbackException)
        {
            return text;   // a character Mac Roman cannot hold, or a byte Windows-1252 has none for: not this mix-up
        }
        return Misplaced(repaired) < misplaced ? repaired : text;
    }

    /// <summary>Non-ASCII characters that are not lower-case letters, inside or at the edge of a lower-case word.</summary>
    private static int Misplaced(string text)
    {
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 0x80 || char.IsLower(c)) continue;
            var afterLetter = i > 0 && char.IsLetter(text[i - 1]);
            var beforeLower = i + 1 < text.Length && char.IsLower(text[i + 1]);
            if (afterLetter || beforeLower && !char.IsUpper(c)) count++;
        }
        return count;
    }
}
