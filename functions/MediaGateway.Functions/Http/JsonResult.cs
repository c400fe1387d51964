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

/// <summary>One invalid field of a request, as listed in a problem's <c>errors</c>.</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>An RFC 9457 problem document; <c>errors</c> names each bad field.</summary>
public sealed record ProblemDocument
{
    public string Type { get; init; } = "about:blank";
    public required string Title { get; init; }
    public required int Status { get; init; }
    public string? Detail { get; init; }
    public string? Instance { get; init; }
    public IReadOnlyList<FieldError>? Errors { get; init; }
}

public static class Problems
{
    public const string ContentType = "application/problem+json; charset=utf-8";

    public static JsonBodyResult Create(int status, string title, string? detail, IReadOnlyList<FieldError>? errors = null, string? instance = null) =>
        new(status, new ProblemDocument { Title = title, Status = status, Detail = detail, Errors = errors, Instance = instance }, ContentType);

    public static JsonBodyResult Validation(IEnumerable<FieldError> errors, string? instance = null)
    {
        var list = errors.ToArray();
        return Create(StatusCodes.Status400BadRequest, "The request is invalid.",
            string.Join(" ", list.Select(e => $"{e.Field}: {e.Message}")), list, instance);
    }
}
