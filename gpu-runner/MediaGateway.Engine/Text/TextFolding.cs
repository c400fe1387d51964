using System.Globalization;
using System.Text;

namespace MediaGateway.Engine.Text;

public static class TextFolding
{
    /// <summary>
    /// "Amélie" → "Amelie". MiniLM's vocabulary maps accented letters to [UNK], which would erase the word,
    /// so every text is folded before it is tokenised.
    /// </summary>
    public static string FoldAccents(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) sb.Append(c);
        }
        // Letters that do not decompose into base + mark.
        return sb.ToString().Normalize(NormalizationForm.FormC)
            .Replace("ß", "ss").Replace("æ", "ae").Replace("Æ", "AE").Replace("ø", "o").Replace("Ø", "O")
            .Replace("œ", "oe").Replace("Œ", "OE").Replace("ł", "l").Replace("Ł", "L").Replace("đ", "d").Replace("Đ", "D");
    }
}
