using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace MediaGateway.Functions.Http;

/// <summary>
/// An unexpected exception in an HTTP function becomes a problem+json 500 with a correlation id,
/// never the host's HTML or an empty body; the details go to the log, not to the caller.
/// </summary>
public sealed class ProblemMiddleware(ILogger<ProblemMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (context.GetHttpContext() is { } http && !http.Response.HasStarted)
        {
            logger.LogError(e, "Function {Function} failed (invocation {InvocationId})", context.FunctionDefinition.Name, context.InvocationId);
            await InternalError(context.InvocationId, http.Request.Path).ExecuteResultAsync(new ActionContext { HttpContext = http });
        }
    }

    public static JsonBodyResult InternalError(string correlationId, string? instance) =>
        Problems.Create(StatusCodes.Status500InternalServerError, "Internal error.",
            $"The gateway failed unexpectedly. Quote correlation id {correlationId} when reporting it.", instance: instance);
}
