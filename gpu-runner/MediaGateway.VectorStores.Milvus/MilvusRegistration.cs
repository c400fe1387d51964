using MediaGateway.Engine.VectorStores;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MediaGateway.VectorStores.Milvus;

public static class MilvusRegistration
{
    public const string HttpClientName = "milvus";

    /// <summary>
    /// Registers the Milvus connector and its HttpClient, with the standard resilience pipeline: retries with
    /// back-off on transient failures (5xx, 429, timeouts), a per-attempt timeout and a circuit breaker. Every
    /// request Milvus gets from here is idempotent (upserts by primary key, deletes by key, reads), so
    /// retrying POSTs is safe. Returns the client builder, so tests can put an in-process server behind it.
    /// </summary>
    public static IHttpClientBuilder AddMilvusVectorStore(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(MilvusOptions.Section);
        services.Configure<MilvusOptions>(section);
        var options = section.Get<MilvusOptions>() ?? new MilvusOptions();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IVectorStoreConnector, MilvusConnector>());
        var builder = services.AddHttpClient(HttpClientName);
        builder.AddStandardResilienceHandler(r =>
        {
            r.AttemptTimeout.Timeout = options.AttemptTimeout;
            // The default predicate retries every method, POST included, which is what these idempotent calls want.
            r.Retry.MaxRetryAttempts = Math.Max(1, options.MaxRetries);
            r.Retry.Delay = options.RetryBaseDelay;
            r.TotalRequestTimeout.Timeout = options.AttemptTimeout * (Math.Max(1, options.MaxRetries) + 2);
            r.CircuitBreaker.SamplingDuration = options.AttemptTimeout * 2 + TimeSpan.FromSeconds(1);
        });
        return builder;
    }
}
