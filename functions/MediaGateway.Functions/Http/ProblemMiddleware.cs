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
            await For(e, context.InvocationId, http.Request.Path).ExecuteResultAsync(new ActionContext { HttpContext = http });
        }
    }

    /// <summary>
    /// Storage that cannot be reached is a 503 the caller may retry; anything else is a 500 to report.
    /// </summary>
    public static JsonBodyResult For(Exception e, string correlationId, string? instance)
    {
        if (IsStorageUnavailable(e))
        {
            var unavailable = Problems.Create(StatusCodes.Status503ServiceUnavailable, "Storage is unavailable.",
                $"The gateway could not reach its queue or result store; try again shortly. Correlation id {correlationId}.", instance: instance);
            unavailable.Headers["Retry-After"] = "5";
            return unavailable;
        }
        return Problems.Create(StatusCodes.Status500InternalServerError, "Internal error.",
            $"The gateway failed unexpectedly. Quote correlation id {correlationId} when reporting it.", instance: instance);
    }

    /// <summary>
    /// The storage SDK's failures as they arrive: a <see cref="Azure.RequestFailedException"/>, a transport error, or,
    /// once its retries are spent, an <see cref="AggregateException"/> ("Retry failed after 3 tries") of those.
    /// </summary>
    public static bool IsStorageUnavailable(Exception e) => e switch
    {
        Azure.RequestFailedException or HttpRequestException or TimeoutException or System.Net.Sockets.SocketException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsStorageUnavailable),
        _ => false,
    };
}
