using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaGateway.OntologyStores.Neo4j;

/// <summary>
/// Runs one parameterised Cypher statement through Neo4j's Query API: <c>POST /db/{database}/query/v2</c> with
/// <c>{"statement": …, "parameters": {…}}</c> and basic auth, answered (HTTP 202) with
/// <c>{"data": {"fields": […], "values": [[…], …]}, "bookmarks": […]}</c>, or with <c>{"errors": [{"code", "message"}]}</c>
/// and a 4xx/5xx status, which becomes a <see cref="Neo4jException"/> (a failure without that envelope is an
/// <see cref="HttpRequestException"/>). Every statement is a constant of
/// <see cref="Neo4jStatements"/>; every value travels in <c>parameters</c>. Retries and timeouts are the
/// HttpClient's resilience handler's job (<see cref="Neo4jRegistration"/>).
/// </summary>
public sealed class Neo4jQueryClient
{
    private readonly HttpClient _http;
    private readonly string _path;
    private readonly AuthenticationHeaderValue? _auth;

    public Neo4jQueryClient(HttpClient http, Neo4jOptions options)
    {
        Endpoint = HttpEndpoint(options.Endpoint);
        if (string.IsNullOrWhiteSpace(options.Database) || options.Database.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')))
            throw new InvalidOperationException($"MediaGateway:Neo4j:Database '{options.Database}' is not a Neo4j database name (letters, digits, '.', '-', '_').");
        _http = http;
        _http.BaseAddress ??= Endpoint;
        _path = $"/db/{Uri.EscapeDataString(options.Database)}/query/v2";
        if (!string.IsNullOrEmpty(options.User))
            _auth = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.User}:{options.Password}")));
    }

    /// <summary>The HTTP address requests go to (for messages; it holds no credential).</summary>
    public Uri Endpoint { get; }

    /// <summary>The Query API's address for a configured endpoint: http(s) as is; <c>neo4j+s://</c> / <c>bolt+s://</c> (Aura) as https on the same host.</summary>
    public static Uri HttpEndpoint(string? endpoint)
    {
        if (string.IsNullOrWhiteSpace(endpoint) || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
            throw new InvalidOperationException("MediaGateway:Neo4j:Endpoint must be the server's HTTP address, e.g. http://localhost:7474.");
        if (!string.IsNullOrEmpty(uri.UserInfo))
            throw new InvalidOperationException("MediaGateway:Neo4j:Endpoint must not hold credentials: set MediaGateway:Neo4j:User and Password (a secret).");
        return uri.Scheme switch
        {
            "http" or "https" => uri,
            "neo4j+s" or "bolt+s" => new UriBuilder("https", uri.Host).Uri,
            _ => throw new InvalidOperationException($"MediaGateway:Neo4j:Endpoint '{uri.Scheme}://…' is not HTTP: the store uses the Query API, e.g. http://host:7474 or https://host:7473."),
        };
    }

    /// <summary>Runs <paramref name="statement"/> and returns its rows, each as field name → value.</summary>
    public async Task<IReadOnlyList<JsonObject>> RunAsync(string statement, JsonObject? parameters, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["statement"] = statement, ["parameters"] = parameters ?? new JsonObject() };
        using var request = new HttpRequestMessage(HttpMethod.Post, _path) { Content = JsonContent.Create(body) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Authorization = _auth;
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        JsonObject? envelope = null;
        try
        {
            envelope = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
        }
        if (envelope?["errors"] is JsonArray { Count: > 0 } errors)
        {
            var first = errors[0] as JsonObject;
            throw new Neo4jException((int)response.StatusCode, first?["code"]?.GetValue<string>() ?? "(no code)", first?["message"]?.GetValue<string>() ?? "(no message)");
        }
        // No errors[]: not Neo4j speaking (a proxy, a gateway timeout) or not the Query API; a transport failure.
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"HTTP {(int)response.StatusCode} without a Neo4j errors envelope: {Truncate(text)}", null, response.StatusCode);
        if (envelope?["data"] is not JsonObject data)
            throw new Neo4jException((int)response.StatusCode, "(no data)", $"unexpected response: {Truncate(text)}");
        var fields = (data["fields"] as JsonArray ?? []).Select(f => f!.GetValue<string>()).ToArray();
        var rows = new List<JsonObject>();
        foreach (var values in (data["values"] as JsonArray ?? []).OfType<JsonArray>())
        {
            var row = new JsonObject();
            for (var i = 0; i < fields.Length && i < values.Count; i++) row[fields[i]] = values[i]?.DeepClone();
            rows.Add(row);
        }
        return rows;
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
