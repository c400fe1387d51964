using MediaGateway.Engine.Ontology;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MediaGateway.OntologyStores.Neo4j;

public static class Neo4jRegistration
{
    public const string HttpClientName = "neo4j";

    /// <summary>
    /// Registers the Neo4j connector and its HttpClient, with the standard resilience pipeline: retries with
    /// back-off on transient failures (5xx, 429, timeouts), a per-attempt timeout and a circuit breaker, and a
    /// bound on response size. Every statement the store sends is idempotent (MERGE, deletes by key, reads), so
    /// retrying POSTs is safe. Returns the client builder, so tests can put an in-process server behind it.
    /// </summary>
    public static IHttpClientBuilder AddNeo4jOntologyStore(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(Neo4jOptions.Section);
        services.Configure<Neo4jOptions>(section);
        var options = section.Get<Neo4jOptions>() ?? new Neo4jOptions();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOntologyStoreConnector, Neo4jConnector>());
        var builder = services.AddHttpClient(HttpClientName, http => http.MaxResponseContentBufferSize = Math.Max(1024, options.MaxResponseBytes));
        builder.AddStandardResilienceHandler(r =>
        {
            r.AttemptTimeout.Timeout = options.AttemptTimeout;
            r.Retry.MaxRetryAttempts = Math.Max(1, options.MaxRetries);
            r.Retry.Delay = options.RetryBaseDelay;
            r.TotalRequestTimeout.Timeout = options.AttemptTimeout * (Math.Max(1, options.MaxRetries) + 2);
            r.CircuitBreaker.SamplingDuration = options.AttemptTimeout * 2 + TimeSpan.FromSeconds(1);
        });
        return builder;
    }
}
