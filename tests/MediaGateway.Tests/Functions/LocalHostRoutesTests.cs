using System.Text.Json;
using MediaGateway.Functions;
using MediaGateway.LocalHost;
using MediaGateway.Tests.Support;

namespace MediaGateway.Tests.Functions;

/// <summary>The local host serves the function classes on the routes the Functions host would give them.</summary>
public sealed class LocalHostRoutesTests
{
    [Fact]
    public void Every_http_function_is_served_on_its_declared_route()
    {
        var routes = FunctionRouteMapper.Discover(typeof(GatewayRegistration).Assembly)
            .Select(r => $"{string.Join(',', r.Verbs)} {r.Route}").Order().ToArray();

        Assert.Equal(["GET /api/v1/batches/{id}", "GET /api/v1/batches/{id}/results", "GET /api/v1/catalog/imports/{id}", "GET /api/v1/concepts",
            "GET /api/v1/health", "GET /api/v1/health/details", "GET /api/v1/jobs/{id}", "GET /api/v1/media/{id}", "GET /api/v1/media/{id}/similar",
            "GET /api/v1/openapi.json", "POST /api/v1/catalog/imports", "POST /api/v1/recommendations", "POST /api/v1/search", "POST /api/v1/search/batch"], routes);
    }

    // Public: search (behind the rate limiter), job polling and the state-only health. Private: the detailed report.
    [Theory]
    [InlineData("Search", Microsoft.Azure.Functions.Worker.AuthorizationLevel.Anonymous)]
    [InlineData("GetJob", Microsoft.Azure.Functions.Worker.AuthorizationLevel.Anonymous)]
    [InlineData("Health", Microsoft.Azure.Functions.Worker.AuthorizationLevel.Anonymous)]
    [InlineData("GetMedia", Microsoft.Azure.Functions.Worker.AuthorizationLevel.Anonymous)]
    [InlineData("SimilarMedia", Microsoft.Azure.Functions.Worker.AuthorizationLevel.Anonymous)]
    [InlineData("Recommendations", Microsoft.Azure.Functions.Worker.AuthorizationLevel.Anonymous)]
    [InlineData("Concepts", Microsoft.Azure.Functions.Worker.AuthorizationLevel.Anonymous)]
    [InlineData("HealthDetails", Microsoft.Azure.Functions.Worker.AuthorizationLevel.Function)]
    [InlineData("SearchBatch", Microsoft.Azure.Functions.Worker.AuthorizationLevel.Function)]
    [InlineData("GetBatch", Microsoft.Azure.Functions.Worker.AuthorizationLevel.Function)]
    [InlineData("GetBatchResults", Microsoft.Azure.Functions.Worker.AuthorizationLevel.Function)]
    [InlineData("OpenApi", Microsoft.Azure.Functions.Worker.AuthorizationLevel.Anonymous)]
    [InlineData("StartCatalogImport", Microsoft.Azure.Functions.Worker.AuthorizationLevel.Function)]
    [InlineData("GetCatalogImport", Microsoft.Azure.Functions.Worker.AuthorizationLevel.Function)]
    public void Each_function_declares_who_may_call_it(string function, Microsoft.Azure.Functions.Worker.AuthorizationLevel level)
    {
        var declared = Assert.Single(FunctionRouteMapper.Discover(typeof(GatewayRegistration).Assembly), f => f.Name == function);
        Assert.Equal(level, declared.AuthLevel);
    }

    [Fact]
    public void Every_function_has_a_rate_limit_of_its_own()
    {
        var limits = new MediaGateway.Functions.Security.RateLimitOptions().Routes;
        Assert.All(FunctionRouteMapper.Discover(typeof(GatewayRegistration).Assembly), f => Assert.True(limits.ContainsKey(f.Name), $"no rate limit for {f.Name}"));
    }

    [Fact]
    public void The_route_prefix_matches_the_functions_host_json()
    {
        var hostJson = Path.Combine(EngineFixture.RepositoryRoot, "functions", "MediaGateway.Functions", "host.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(hostJson));
        Assert.Equal(FunctionRouteMapper.RoutePrefix, doc.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
    }

    [Fact]
    public void The_functions_host_reads_queue_messages_as_base64_like_the_storage_clients_write_them()
    {
        var hostJson = Path.Combine(EngineFixture.RepositoryRoot, "functions", "MediaGateway.Functions", "host.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(hostJson));
        Assert.Equal("base64", doc.RootElement.GetProperty("extensions").GetProperty("queues").GetProperty("messageEncoding").GetString());
    }

    [Fact]
    public void Every_queue_triggered_function_is_pumped_from_its_declared_queue()
    {
        var functions = QueueTriggerPump.Discover(typeof(GatewayRegistration).Assembly);
        Assert.Equal(["RunBatch batch-jobs"], functions.Select(f => $"{f.Name} {f.QueueName}"));
    }

    [Fact]
    public void The_local_pump_and_the_batch_runner_give_up_after_as_many_attempts_as_the_functions_host()
    {
        var hostJson = Path.Combine(EngineFixture.RepositoryRoot, "functions", "MediaGateway.Functions", "host.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(hostJson));
        var hostMax = doc.RootElement.GetProperty("extensions").GetProperty("queues").GetProperty("maxDequeueCount").GetInt32();
        Assert.Equal(hostMax, new QueueTriggerOptions().MaxDequeueCount);
        Assert.Equal(hostMax, new MediaGateway.Functions.Batches.BatchOptions().MaxDequeueCount);
    }
}
