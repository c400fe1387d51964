using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using MediaGateway.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace MediaGateway.Functions.Http;

/// <summary>Reads a JSON request body within a size limit, turning every way it can be wrong into a problem.</summary>
public static partial class RequestReader
{
    public static async Task<(T? Value, JsonBodyResult? Problem)> ReadJsonAsync<T>(HttpRequest request, int maxBytes, CancellationToken cancellationToken) where T : class
    {
        var instance = request.Path.Value;
        // The caller's Content-Type is not echoed back: it is attacker-chosen text.
        if (request.ContentType is { } type && !IsUtf8Json(type))
            return (null, Problems.Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.",
                "Send the body as application/json encoded in UTF-8 (a charset parameter, if given, must be utf-8).", [new("body", "must be JSON in UTF-8")], instance));
        if (request.ContentLength > maxBytes)
            return (null, TooLarge(maxBytes, instance));

        // Read at most one byte past the limit: a chunked body has no Content-Length to check up front.
        var buffer = new byte[maxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0) length += read;
        if (length > maxBytes) return (null, TooLarge(maxBytes, instance));
        var json = WithoutByteOrderMark(buffer.AsSpan(0, length));
        if (json.Length == 0) return (null, Problems.Validation([new("body", "is empty; send a JSON object.")], instance));
        // Checked as a whole before parsing: the parser would name a bad byte inside a string as that field, or
        // call it invalid JSON, when the fault is the encoding.
        if (!Utf8.IsValid(json)) return (null, Problems.Validation([new("body", "is not valid UTF-8; send the JSON encoded in UTF-8.")], instance));

        try
        {
            var value = JsonSerializer.Deserialize<T>(json, ContractJson.Options);
            return value is null ? (null, Problems.Validation([new("body", "must be a JSON object, not null.")], instance)) : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Problems.Validation([new(FieldOf(e), Describe(e))], instance));
        }
    }

    /// <summary>
    /// Reads an uploaded file (any of <paramref name="mediaTypes"/>, or no Content-Type) of 1 to <paramref name="maxBytes"/>
    /// bytes: 415, 413 or 400 problems otherwise.
    /// </summary>
    public static async Task<(ReadOnlyMemory<byte> Value, JsonBodyResult? Problem)> ReadFileAsync(HttpRequest request, int maxBytes, IReadOnlyList<string> mediaTypes, CancellationToken cancellationToken)
    {
        var instance = request.Path.Value;
        if (request.ContentType is { } type && !(MediaTypeHeaderValue.TryParse(type, out var parsed)
                && mediaTypes.Contains(parsed.MediaType.Value ?? "", StringComparer.OrdinalIgnoreCase) && IsUtf8OrUnsaid(parsed)))
            return (default, Problems.Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.", $"Send the file in UTF-8 as one of: {string.Join(", ", mediaTypes)} (a charset parameter, if given, must be utf-8; curl sends application/x-www-form-urlencoded unless told: -H 'Content-Type: {mediaTypes[0]}').", [new("body", "has an unsupported media type or charset")], instance));
        if (request.ContentLength > maxBytes) return (default, TooLarge(maxBytes, instance));

        // Read at most one byte past the limit: a chunked body has no Content-Length to check up front.
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while (buffer.Length <= maxBytes && (read = await request.Body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, maxBytes + 1 - buffer.Length)), cancellationToken)) > 0)
            buffer.Write(chunk, 0, read);
        if (buffer.Length > maxBytes) return (default, TooLarge(maxBytes, instance));
        if (buffer.Length == 0) return (default, Problems.Validation([new("body", "is empty; send the file.")], instance));
        return (buffer.ToArray(), null);
    }

    /// <summary>application/json or a +json type, with no charset or utf-8 (JSON is UTF-8, RFC 8259 §8.1); "application/jsonx" is not.</summary>
    private static bool IsUtf8Json(string contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Value is { } mediaType
        && (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
        && IsUtf8OrUnsaid(parsed);

    /// <summary>No charset parameter, or utf-8 (any case, quoted or not): the bodies are read as UTF-8 and nothing else.</summary>
    private static bool IsUtf8OrUnsaid(MediaTypeHeaderValue parsed) =>
        !parsed.Parameters.Any(p => p.Name.Equals("charset", StringComparison.OrdinalIgnoreCase))
        || HeaderUtilities.RemoveQuotes(parsed.Charset).Equals("utf-8", StringComparison.OrdinalIgnoreCase);

    /// <summary>The body without one leading UTF-8 byte order mark, which some clients (PowerShell, Windows editors) write.</summary>
    private static ReadOnlySpan<byte> WithoutByteOrderMark(ReadOnlySpan<byte> body) => body.StartsWith("\uFEFF"u8) ? body[3..] : body;

    private static JsonBodyResult TooLarge(int maxBytes, string? instance) =>
        Problems.Create(StatusCodes.Status413PayloadTooLarge, "The request body is too large.", $"The body must be at most {maxBytes} bytes.", [new("body", $"exceeds {maxBytes} bytes")], instance);

    /// <summary>The JSON path of the offending value, "$.filters.yearRange[0]" → "filters.yearRange[0]"; the unknown name for an unmapped property.</summary>
    private static string FieldOf(JsonException e)
    {
        var path = e.Path is { Length: > 1 } p ? p.TrimStart('$').TrimStart('.') : "";
        var unknown = UnknownProperty().Match(e.Message);
        if (unknown.Success)
        {
            var name = unknown.Groups["name"].Value;
            return path.Length == 0 || path.EndsWith(name, StringComparison.Ordinal) ? path.Length == 0 ? name : path : $"{path}.{name}";
        }
        return path.Length == 0 ? "body" : path;
    }

    private static string Describe(JsonException e)
    {
        if (UnknownProperty().Match(e.Message) is { Success: true } m) return $"'{m.Groups["name"].Value}' is not a known field.";
        if (e.Message.Contains("could not be converted", StringComparison.Ordinal))
            return ConvertedTo().Match(e.Message) is { Success: true } c ? $"has the wrong type: {Expected(c.Groups["type"].Value)} is expected." : "has the wrong type.";
        if (e.Message.Contains("missing required properties", StringComparison.Ordinal)) return "is missing required fields.";
        // Names are matched case-insensitively (the web defaults), so "Query" after "query" is the same field again.
        if (e.Message.StartsWith("Duplicate propert", StringComparison.Ordinal)) return "is given more than once (field names are case-insensitive); send each field once.";
        return $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine}).";
    }

    /// <summary>The wire type System.Text.Json names, in the caller's words ("System.Nullable`1[System.Int32]" → "a whole number").</summary>
    private static string Expected(string type) => type switch
    {
        // A list first: "IReadOnlyList`1[System.Int32]" is a list of whole numbers ("yearRange": 1990 is not one).
        _ when type.Contains("List", StringComparison.Ordinal) || type.EndsWith("[]", StringComparison.Ordinal) => "a list",
        _ when type.Contains("Int32", StringComparison.Ordinal) || type.Contains("Int64", StringComparison.Ordinal) => "a whole number (a JSON number within the field's range)",
        _ when type.Contains("Double", StringComparison.Ordinal) => "a number",
        _ when type.Contains("Boolean", StringComparison.Ordinal) => "true or false",
        "System.String" => "a string",
        _ => "an object",
    };

    [GeneratedRegex(@"could not be converted to (?<type>\S+?)\.? Path")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex("The JSON property '(?<name>[^']+)' could not be mapped")]
    private static partial Regex UnknownProperty();
}
