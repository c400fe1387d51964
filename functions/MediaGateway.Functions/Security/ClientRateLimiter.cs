using System.Threading.RateLimiting;
using MediaGateway.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace MediaGateway.Functions.Security;

/// <summary>
/// One token bucket per client and HTTP function (System.Threading.RateLimiting); a client over its limit gets a
/// 429 problem with Retry-After and costs nothing more. Used by the Functions worker middleware and by the local
/// host, so both limit the same way. Limits are per process: a gateway scaled out to N instances lets a client
/// through up to N times, so the Function App's maximum instance count bounds the total.
/// </summary>
public sealed class ClientRateLimiter : IDisposable
{
    private readonly RateLimitOptions _options;
    private readonly Dictionary<string, PartitionedRateLimiter<string>> _byFunction = new(StringComparer.OrdinalIgnoreCase);

    public ClientRateLimiter(IOptions<RateLimitOptions> options)
    {
        _options = options.Value;
        foreach (var (function, limit) in _options.Routes)
        {
            if (limit.Burst < 1 || limit.PerMinute < 1)
                throw new OptionsValidationException(RateLimitOptions.Section, typeof(RateLimitOptions),
                    [$"{RateLimitOptions.Section}:Routes:{function}: Burst and PerMinute must be at least 1."]);
            var bucket = new TokenBucketRateLimiterOptions
            {
                TokenLimit = limit.Burst,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1) / limit.PerMinute,
                QueueLimit = 0,
                AutoReplenishment = true,
            };
            // Idle buckets are dropped by the partitioned limiter itself, so many distinct clients do not pile up.
            _byFunction[function] = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetTokenBucketLimiter(client, _ => bucket));
        }
    }

    /// <summary>Null when the request may go on; otherwise the 429 to answer with.</summary>
    public JsonBodyResult? Check(string function, HttpRequest request)
    {
        if (!_byFunction.TryGetValue(function, out var limiter) && !_byFunction.TryGetValue(RateLimitOptions.DefaultRoute, out limiter))
            return null;
        using var lease = limiter.AttemptAcquire(ClientAddress.Of(request, _options.ForwardedForHops));
        if (lease.IsAcquired) return null;

        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        var problem = Problems.Create(StatusCodes.Status429TooManyRequests, "Too many requests.",
            $"This client has sent more requests to this route than it allows; retry after {seconds} s.", instance: request.Path);
        problem.Headers["Retry-After"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return problem;
    }

    public void Dispose()
    {
        foreach (var limiter in _byFunction.Values) limiter.Dispose();
    }
}
