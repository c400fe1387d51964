using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MediaGateway.VectorStores.Milvus;

/// <summary>
/// POSTs to Milvus's RESTful API v2 (<c>/v2/vectordb/…</c>) and unwraps its envelope: <c>{"code": 0, "data": …}</c>
/// on success, <c>{"code": n, "message": …}</c> on failure (with HTTP 200), which becomes a <see cref="MilvusException"/>.
/// Retries and timeouts are the HttpClient's resilience handler's job (see <see cref="MilvusRegistration"/>).
/// </summary>
public sealed class MilvusRestClient
{
    private readonly HttpClient _http;
    private readonly MilvusOptions _options;

    public MilvusRestClient(HttpClient http, MilvusOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Endpoint) || !Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint))
            throw new InvalidOperationException("MediaGateway:Milvus:Endpoint must be the server's address, e.g. http://localhost:19530.");
        (_http, _options) = (http, options);
        _http.BaseAddress ??= endpoint;
    }

    /// <summary>The response's <c>data</c> (and the whole envelope, for fields beside it such as <c>topks</c>).</summary>
    public async Task<JsonObject> PostAsync(string operation, JsonObject body, CancellationToken cancellationToken)
    {
        body["dbName"] ??= _options.Database;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v2/vectordb/{operation}") { Content = JsonContent.Create(body) };
        if (!string.IsNullOrEmpty(_options.Token)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.Token);
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
        if (envelope?["code"] is JsonValue codeValue && codeValue.TryGetValue(out int code))
        {
            // 0 is Milvus's success; Zilliz's documentation also shows 200.
            if (code is 0 or 200) return envelope;
            throw new MilvusException(operation, code, envelope["message"]?.GetValue<string>() ?? "(no message)");
        }
        response.EnsureSuccessStatusCode();
        throw new MilvusException(operation, (int)response.StatusCode, $"unexpected response: {Truncate(text)}");
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
