using System.Reflection;
using MediaGateway.Functions.Http;
using MediaGateway.Functions.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace MediaGateway.LocalHost;

/// <summary>
/// Serves the Functions app's HTTP functions without the Functions host: every method marked
/// <c>[Function]</c> with an <c>[HttpTrigger]</c> parameter is mapped to its own route and verbs, and
/// invoked on an instance of its own class from DI. No route or handler is written twice. What the Functions
/// host and worker do around a function happens here too, in the same order: the trigger's authorization level
/// is enforced (a non-anonymous route needs the <see cref="LocalFunctionKey"/>, else 401), then the per-client
/// rate limit (<see cref="ClientRateLimiter"/>, else 429).
/// </summary>
public static class FunctionRouteMapper
{
    /// <summary>Must equal <c>extensions.http.routePrefix</c> in the Functions app's host.json (a test checks).</summary>
    public const string RoutePrefix = "api";

    public static IReadOnlyList<HttpFunction> Discover(Assembly functionsAssembly) =>
        (from type in functionsAssembly.GetExportedTypes()
         from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
         let function = method.GetCustomAttribute<FunctionAttribute>()
         where function is not null
         let trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)
         where trigger is not null
         select new HttpFunction(function.Name, $"/{RoutePrefix}/{trigger.Route}", trigger.Methods!.Select(m => m.ToUpperInvariant()).ToArray(), trigger.AuthLevel, method)).ToArray();

    public static void MapFunctions(this IEndpointRouteBuilder endpoints, Assembly functionsAssembly)
    {
        foreach (var function in Discover(functionsAssembly))
            endpoints.MapMethods(function.Route, function.Verbs, context => InvokeAsync(context, function));
    }

    private static async Task InvokeAsync(HttpContext context, HttpFunction function)
    {
        if (function.AuthLevel != AuthorizationLevel.Anonymous && !context.RequestServices.GetRequiredService<LocalFunctionKey>().Accepts(context.Request))
        {
            var unauthorized = Problems.Create(StatusCodes.Status401Unauthorized, "A function key is required.",
                $"Send it in the {LocalFunctionKey.Header} header (the local host logs its key at start).", instance: context.Request.Path);
            unauthorized.Headers["WWW-Authenticate"] = LocalFunctionKey.Challenge;
            await unauthorized.ExecuteResultAsync(new ActionContext { HttpContext = context });
            return;
        }
        if (context.RequestServices.GetRequiredService<ClientRateLimiter>().Check(function.Name, context.Request) is { } tooMany)
        {
            await tooMany.ExecuteResultAsync(new ActionContext { HttpContext = context });
            return;
        }

        var method = function.Method;
        var instance = context.RequestServices.GetRequiredService(method.DeclaringType!);
        var arguments = method.GetParameters().Select(p => ArgumentFor(p, context)).ToArray();
        var result = await (Task<IActionResult>)method.Invoke(instance, arguments)!;
        await result.ExecuteResultAsync(new ActionContext { HttpContext = context });
    }

    // What the Functions host binds: the request, route values by name, the cancellation token.
    private static object? ArgumentFor(ParameterInfo parameter, HttpContext context) =>
        parameter.ParameterType == typeof(HttpRequest) ? context.Request
        : parameter.ParameterType == typeof(CancellationToken) ? context.RequestAborted
        : parameter.ParameterType == typeof(string) ? context.GetRouteValue(parameter.Name!)?.ToString()
        : throw new NotSupportedException($"The local host cannot bind parameter '{parameter.Name}' of {parameter.Member.Name}.");

    /// <summary>Unknown routes and unexpected failures answer in problem+json too.</summary>
    public static void UseProblemResponses(this WebApplication app)
    {
        app.UseExceptionHandler(error => error.Run(async context =>
        {
            var exception = context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Error;
            await ProblemMiddleware.For(exception ?? new InvalidOperationException(), context.TraceIdentifier, context.Request.Path)
                .ExecuteResultAsync(new ActionContext { HttpContext = context });
        }));
        app.UseStatusCodePages(async status =>
        {
            var http = status.HttpContext;
            var (code, title) = http.Response.StatusCode switch
            {
                404 => (404, "Not found."),
                405 => (405, "Method not allowed."),
                var other => (other, "Request failed."),
            };
            await Problems.Create(code, title, $"{http.Request.Method} {http.Request.Path} is not served here; see /api/v1/health and the README.", instance: http.Request.Path)
                .ExecuteResultAsync(new ActionContext { HttpContext = http });
        });
    }
}
