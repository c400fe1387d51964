using System.Text;
using System.Text.Json;
using MediaGateway.Contracts.Imports;

namespace MediaGateway.Engine.Catalog;

/// <summary>
/// Splits a catalog file, a JSON array or JSON Lines, into its records, and reads each one on its own within the
/// limits of <see cref="CatalogImportLimits"/>: a record that is too large, nested too deep, not JSON or not an
/// object is reported as that record's problem, so it costs that record only. Only a JSON array that is not valid JSON
/// fails the whole file (<see cref="CatalogFileException"/>): past a syntax error, where its records start and end
/// cannot be known.
/// </summary>
public static class CatalogRecordReader
{
    /// <summary>For the outer array only: records are read with <see cref="CatalogImportLimits.MaxRecordDepth"/>.</summary>
    private static readonly JsonReaderOptions AnyDepth = new() { MaxDepth = int.MaxValue };

    private static readonly JsonDocumentOptions RecordDepth = new() { MaxDepth = CatalogImportLimits.MaxRecordDepth };

    public static IReadOnlyList<CatalogRecord> Read(Stream stream)
    {
        // Decoded, then encoded again: the byte order mark goes, and bytes that are not UTF-8 become U+FFFD rather than
        // failing the file.
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = reader.ReadToEnd();
        return text.AsSpan().TrimStart().StartsWith("[") ? ReadArray(Encoding.UTF8.GetBytes(text)) : ReadLines(text);
    }

    private static List<CatalogRecord> ReadArray(byte[] file)
    {
        var records = new List<CatalogRecord>();
        var reader = new Utf8JsonReader(file, AnyDepth);
        try
        {
            reader.Read(); // the array's '['
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip(); // to the element's last token (without recursion, however deep)
                records.Add(ReadRecord(file.AsMemory(start, (int)reader.BytesConsumed - start), $"record {records.Count + 1}"));
            }
            while (reader.Read()) { } // only white space may follow the array
        }
        catch (JsonException e)
        {
            throw new CatalogFileException($"The file is not a valid JSON array (the first error is on line {e.LineNumber + 1}, " +
                $"at character {Character(file, e.LineNumber ?? 0, e.BytePositionInLine ?? 0)})");
        }
        return records;
    }

    private static List<CatalogRecord> ReadLines(string text)
    {
        var records = new List<CatalogRecord>();
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (!string.IsNullOrWhiteSpace(line)) records.Add(ReadRecord(Encoding.UTF8.GetBytes(line), $"line {lineNumber}"));
        }
        return records;
    }

    private static CatalogRecord ReadRecord(ReadOnlyMemory<byte> json, string where)
    {
        if (json.Length > CatalogImportLimits.MaxRecordBytes)
            return new(where, default, $"is larger than {CatalogImportLimits.MaxRecordBytes / 1024} KiB, the most a record may be");
        try
        {
            using var document = JsonDocument.Parse(json, RecordDepth);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? new(where, document.RootElement.Clone(), null)
                : new(where, default, "is not a JSON object");
        }
        catch (JsonException)
        {
            // Valid JSON at any depth: the depth was the trouble.
            return SyntaxError(json.Span) is { } error
                ? new(where, default, $"is not valid JSON (the first error is at character {Character(json.Span, 0, error.BytePositionInLine ?? 0)} of the line)")
                : new(where, default, $"is nested more than {CatalogImportLimits.MaxRecordDepth} levels deep (a record is an object of values and lists)");
        }
    }

    private static JsonException? SyntaxError(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, AnyDepth);
        try
        {
            while (reader.Read()) { }
            return null;
        }
        catch (JsonException e)
        {
            return e;
        }
    }

    /// <summary>The 1-based character, on its 0-based line of <paramref name="utf8"/>, that a JSON error's byte position points at.</summary>
    private static long Character(ReadOnlySpan<byte> utf8, long line, long byteInLine)
    {
        var lineStart = 0;
        for (var l = 0L; l < line && utf8[lineStart..].IndexOf((byte)'\n') is var next and >= 0; l++) lineStart += next + 1;
        var length = (int)Math.Min(byteInLine, utf8.Length - lineStart);
        return Encoding.UTF8.GetCharCount(utf8.Slice(lineStart, length)) + 1;
    }
}
