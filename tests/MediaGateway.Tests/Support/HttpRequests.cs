using System.Text;
using System.Text.Json;
using MediaGateway.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace MediaGateway.Tests.Support;

/// <summary>Builds requests for the function classes and runs their results as the host would.</summary>
internal static class HttpRequests
{
    public static HttpRequest Post(string path, string body, string? contentType = "application/json")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = path;
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        context.Request.ContentType = contentType;
        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    public static HttpRequest Get(string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    /// <summary>Executes the result against the request's own context; returns status, content type, headers and the parsed body.</summary>
    public static async Task<Reply> RunAsync(this IActionResult result, HttpRequest request)
    {
        var context = request.HttpContext;
        await result.ExecuteResultAsync(new ActionContext { HttpContext = context });
        context.Response.Body.Position = 0;
        var text = await new StreamReader(context.Response.Body).ReadToEndAsync();
        return new Reply(context.Response.StatusCode, context.Response.ContentType, context.Response.Headers.ToDictionary(h => h.Key, h => h.Value.ToString()),
            text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), text);
    }

    public static T Deserialize<T>(this Reply reply) => JsonSerializer.Deserialize<T>(reply.Text, ContractJson.Options)!;
}

internal sealed record Reply(int Status, string? ContentType, IReadOnlyDictionary<string, string> Headers, JsonElement Json, string Text)
{
    /// <summary>The fields named in a problem document's <c>errors</c>.</summary>
    public IReadOnlyList<string> ProblemFields =>
        Json.TryGetProperty("errors", out var errors) ? errors.EnumerateArray().Select(e => e.GetProperty("field").GetString()!).ToArray() : [];
}
