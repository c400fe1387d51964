using System.Text.Json;
using System.Text.Json.Serialization;

namespace MediaGateway.Contracts;

/// <summary>
/// The one JSON configuration used on the wire (HTTP bodies, queue messages, stored results).
/// Unknown fields are errors, so a typo such as "filter" instead of "filters" is reported, not ignored, and numbers
/// must be JSON numbers ("limit": "5" is refused, as "limit": 5.5 is).
/// </summary>
public static class ContractJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            MaxDepth = 16,
            // {"query":"a","query":"b"} is refused, not read as whichever comes last: two readers of one body (a proxy, a
            // log, this gateway) must not see different requests.
            AllowDuplicateProperties = false,
            // A number is a number: the web defaults would also read "5" for 5, which the schema then has to allow as well.
            NumberHandling = JsonNumberHandling.Strict,
            // Responses are JSON for API clients, never embedded in HTML, so apostrophes and accents stay readable.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
