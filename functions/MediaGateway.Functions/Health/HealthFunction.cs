using MediaGateway.Functions.Http;
using MediaGateway.Functions.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace MediaGateway.Functions.Health;

/// <summary>
/// <c>GET /api/v1/health</c> (anyone): Healthy, Degraded or Unhealthy, overall and per dependency, and nothing
/// else; when something is down, 503 with <c>Retry-After</c> and the failing dependencies named, each with its check's
/// latency (every check is cut off after <see cref="Search.GatewayOptions.HealthCheckTimeout"/>). <c>GET /api/v1/health/details</c> (function key): what each dependency is
/// doing in words, the runner's instance, backend and model, and the gateway's version and platform.
/// </summary>
public sealed class HealthFunction(HealthCheckService health, IOptions<RateLimitOptions> rateLimits)
{
    [Function("Health")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/health")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (QueryParameters.Refuse(request) is { } refused) return refused;
        var report = await health.CheckHealthAsync(cancellationToken);
        var failing = FailingCheck.Of(report);
        return WithRetryAfter(report, new JsonBodyResult(StatusOf(report), new PublicHealthView(report.Status.ToString(),
            report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()), failing.Count > 0 ? failing : null)));
    }

    [Function("HealthDetails")]
    public async Task<IActionResult> Details(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/health/details")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (QueryParameters.Refuse(request, QueryParameters.FunctionKey) is { } refused) return refused;
        var report = await health.CheckHealthAsync(cancellationToken);
        var body = new HealthView(
            report.Status.ToString(),
            Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            report.Entries.ToDictionary(e => e.Key, e => new HealthCheckView(e.Value.Status.ToString(), e.Value.Description, e.Value.Data.Count > 0 ? e.Value.Data : null)),
            GatewayInfo.Current,
            ClientAddress.Of(request, rateLimits.Value.ForwardedForHops));
        return WithRetryAfter(report, new JsonBodyResult(StatusOf(report), body));
    }

    /// <summary>Seconds a client (or a load balancer) should wait before asking an unhealthy gateway again.</summary>
    public const string RetryAfterSeconds = "5";

    private static JsonBodyResult WithRetryAfter(HealthReport report, JsonBodyResult result)
    {
        if (report.Status == HealthStatus.Unhealthy) result.Headers["Retry-After"] = RetryAfterSeconds;
        return result;
    }

    private static int StatusOf(HealthReport report) =>
        report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
}

/// <summary>
/// What anonymous callers see: states only, no descriptions (they can quote exceptions and host names); when
/// unhealthy, <paramref name="Failing"/> names what is down and how long its check took.
/// </summary>
public sealed record PublicHealthView(string Status, IReadOnlyDictionary<string, string> Checks,
    IReadOnlyList<FailingCheck>? Failing = null);

/// <param name="RateLimitedAs">The address the rate limiter counts this caller as: an operator calling from their own
/// machine should see their public address here, which shows that ForwardedForHops matches the proxies in front.</param>
public sealed record HealthView(string Status, double TotalDurationMs, IReadOnlyDictionary<string, HealthCheckView> Checks, GatewayInfo Gateway, string RateLimitedAs);

public sealed record HealthCheckView(string Status, string? Description, IReadOnlyDictionary<string, object>? Data);

/// <summary>Facts worth attaching to a bug report (details route only): versions and platform, never configuration values.</summary>
public sealed record GatewayInfo(string Version, string Runtime, string Os, int Processors)
{
    public static GatewayInfo Current { get; } = new(
        typeof(GatewayInfo).Assembly.GetName().Version?.ToString() ?? "unknown",
        System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        Environment.ProcessorCount);
}
