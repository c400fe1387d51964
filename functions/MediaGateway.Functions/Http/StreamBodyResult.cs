using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace MediaGateway.Functions.Http;

/// <summary>Copies a stored document (a batch's JSON Lines) to the response as it is read, without holding it in memory; disposes the stream.</summary>
public sealed class StreamBodyResult(Stream body, string contentType) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        await using var source = body;
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.Headers["X-Content-Type-Options"] = "nosniff";
        await source.CopyToAsync(response.Body, context.HttpContext.RequestAborted);
    }
}
