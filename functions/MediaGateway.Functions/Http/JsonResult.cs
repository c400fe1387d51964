using System.Text.Json;
using MediaGateway.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace MediaGateway.Functions.Http;

/// <summary>
/// Writes a JSON body with the wire options itself, so the output is the same under the Functions host
/// and under the local host (neither depends on MVC's formatters).
/// </summary>
public sealed class JsonBodyResult(int statusCode, object body, string contentType = "application/json; charset=utf-8") : IActionResult
{
    public int StatusCode => statusCode;
    public object Body => body;
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>();

    /// <summary>
    /// 202 with the resource to follow (<c>Location</c>) and when asking again is worthwhile (<c>Retry-After</c>):
    /// the async request-reply answer of searches, batches and imports.
    /// </summary>
    public static JsonBodyResult Accepted(object body, string location, string retryAfterSeconds)
    {
        var result = new JsonBodyResult(StatusCodes.Status202Accepted, body);
        result.Headers["Location"] = location;
        result.Headers["Retry-After"] = retryAfterSeconds;
        return result;
    }

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = contentType;
        // Every body is JSON and says so; no browser may sniff it into HTML or script.
        response.Headers["X-Content-Type-Options"] = "nosniff";
        foreach (var (name, value) in Headers) response.Headers[name] = value;
        await JsonSerializer.SerializeAsync(response.Body, body, body.GetType(), ContractJson.Options, context.HttpContext.RequestAborted);
    }
}
