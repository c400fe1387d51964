namespace MediaGateway.Functions.Security;

/// <summary>
/// Per-client request limits, per HTTP function, bound from <c>MediaGateway:Gateway:RateLimits</c>
/// (e.g. <c>MediaGateway__Gateway__RateLimits__Routes__Search__PerMinute=120</c>).
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "MediaGateway:Gateway:RateLimits";

    /// <summary>The limit of functions that have no entry in <see cref="Routes"/>.</summary>
    public const string DefaultRoute = "Default";

    /// <summary>
    /// How many proxies in front of the gateway append the caller's address to <c>X-Forwarded-For</c>: 0 takes the
    /// connection's address (the local host); 1 takes the last entry, the one Azure's front end added. Entries
    /// to the left of it were written by the caller and are never trusted.
    /// </summary>
    public int ForwardedForHops { get; set; }

    /// <summary>Limits by function name (<c>[Function("Search")]</c> → "Search").</summary>
    public Dictionary<string, RouteRateLimit> Routes { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        // Each search may cost the shared GPU runner a batch slot: a person's pace, with a burst for paging.
        ["Search"] = new() { Burst = 20, PerMinute = 60 },
        // Polling a job once a second is what Retry-After asks for; a few jobs at once are fine.
        ["GetJob"] = new() { Burst = 60, PerMinute = 300 },
        // Discovery: similar items and recommendations cost a search; an item or a concept lookup is cheap.
        ["SimilarMedia"] = new() { Burst = 20, PerMinute = 60 },
        ["Recommendations"] = new() { Burst = 20, PerMinute = 60 },
        ["GetMedia"] = new() { Burst = 60, PerMinute = 300 },
        ["Concepts"] = new() { Burst = 30, PerMinute = 120 },
        ["Health"] = new() { Burst = 10, PerMinute = 60 },
        ["HealthDetails"] = new() { Burst = 5, PerMinute = 12 },
        // A batch is up to 1,000 searches: a few per minute per client, even with the key.
        ["SearchBatch"] = new() { Burst = 2, PerMinute = 6 },
        ["GetBatch"] = new() { Burst = 30, PerMinute = 120 },
        // A batch's results can be megabytes: fetched once or twice, not polled.
        ["GetBatchResults"] = new() { Burst = 5, PerMinute = 30 },
        // A client reads the API description once; tools that re-read it on every change stay well within this.
        ["OpenApi"] = new() { Burst = 10, PerMinute = 60 },
        // An import re-embeds a catalog on the runner: one now and then per client; its progress is polled.
        ["StartCatalogImport"] = new() { Burst = 2, PerMinute = 2 },
        ["GetCatalogImport"] = new() { Burst = 30, PerMinute = 120 },
        [DefaultRoute] = new() { Burst = 20, PerMinute = 60 },
    };
}

/// <summary>A token bucket: <see cref="Burst"/> requests at once, refilled at <see cref="PerMinute"/>.</summary>
public sealed class RouteRateLimit
{
    public int Burst { get; set; }

    public int PerMinute { get; set; }
}
