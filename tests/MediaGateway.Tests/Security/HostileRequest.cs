using System.Text;

namespace MediaGateway.Tests.Security;

/// <summary>One hostile HTTP request and the exact status the gateway must answer it with.</summary>
public sealed record HostileRequest(string Name, HttpMethod Method, string Path, int ExpectedStatus)
{
    public byte[]? Body { get; init; }

    /// <summary>Sent as is, without validation (null: no Content-Type header).</summary>
    public string? ContentType { get; init; }

    public IReadOnlyList<(string Name, string Value)> Headers { get; init; } = [];

    /// <summary>Send the body chunked, without a Content-Length.</summary>
    public bool Chunked { get; init; }

    /// <summary>Text the response must not contain (an echo of the attack), raw or as a JSON string decodes it.</summary>
    public string? MustNotEcho { get; init; }

    /// <summary>A field (or query parameter) the problem's <c>errors</c> must name.</summary>
    public string? Field { get; init; }

    /// <summary>Words the response must contain (what to do about it).</summary>
    public string? MustSay { get; init; }

    public static HostileRequest Search(string name, string json, int status) =>
        new(name, HttpMethod.Post, "/api/v1/search", status) { Body = Encoding.UTF8.GetBytes(json), ContentType = "application/json" };

    public static HostileRequest SearchBytes(string name, byte[] body, int status) =>
        new(name, HttpMethod.Post, "/api/v1/search", status) { Body = body, ContentType = "application/json" };

    public static HostileRequest Get(string name, string path, int status) => new(name, HttpMethod.Get, path, status);

    /// <summary>A request with the function key, for the routes that need one.</summary>
    public static HostileRequest Keyed(string name, HttpMethod method, string path, int status) =>
        new(name, method, path, status) { Headers = [("x-functions-key", LocalGatewayFixture.FunctionKey)] };

    public static HostileRequest Post(string name, string path, string json, int status) =>
        new(name, HttpMethod.Post, path, status) { Body = Encoding.UTF8.GetBytes(json), ContentType = "application/json" };

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, Path);
        if (Body is not null)
        {
            message.Content = Chunked ? new StreamContent(new MemoryStream(Body)) : new ByteArrayContent(Body);
            if (ContentType is not null) message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        }
        foreach (var (name, value) in Headers) message.Headers.TryAddWithoutValidation(name, value);
        return message;
    }

    public override string ToString() => Name;
}
