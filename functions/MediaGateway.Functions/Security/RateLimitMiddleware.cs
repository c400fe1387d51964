using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace MediaGateway.Functions.Security;

/// <summary>
/// Applies <see cref="ClientRateLimiter"/> to every HTTP function in the Functions worker, before the function
/// reads the request. (The Functions host checks function keys even earlier, so a request without one never
/// gets here.)
/// </summary>
public sealed class RateLimitMiddleware(ClientRateLimiter limiter) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is { } http && limiter.Check(context.FunctionDefinition.Name, http.Request) is { } tooMany)
        {
            await tooMany.ExecuteResultAsync(new ActionContext { HttpContext = http });
            return;
        }
        await next(context);
    }
}
