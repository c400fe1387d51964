using System.Net;
using System.Net.Sockets;
using MediaGateway.Functions;
using MediaGateway.Functions.Health;
using MediaGateway.Functions.Http;
using MediaGateway.Storage;
using MediaGateway.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MediaGateway.Tests.Integration;

/// <summary>Storage that is not there (a port nobody listens on): callers get 503 + Retry-After promptly, never a 500.</summary>
public sealed class StorageOutageTests
{
    private static ServiceProvider GatewayOnDeadStorage()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var account = "devstoreaccount1";
        var connection = $"DefaultEndpointsProtocol=http;AccountName={account};AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
                         $"BlobEndpoint=http://127.0.0.1:{port}/{account};QueueEndpoint=http://127.0.0.1:{port}/{account};TableEndpoint=http://127.0.0.1:{port}/{account};";
        var services = new ServiceCollection().AddLogging();
        services.AddGateway(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [StorageRegistration.ConnectionName] = connection }).Build());
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task A_search_during_a_storage_outage_is_a_503_with_retry_after()
    {
        await using var gateway = GatewayOnDeadStorage();
        var request = HttpRequests.Post("/api/v1/search", """{"query":"alien"}""");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => gateway.GetRequiredService<SearchFunctions>().Search(request, CancellationToken.None));
        var reply = await ProblemMiddleware.For(error, "corr-outage", "/api/v1/search").RunAsync(request);

        Assert.Equal(503, reply.Status);
        Assert.Equal("5", reply.Headers["Retry-After"]);
    }

    [Fact]
    public async Task Health_during_a_storage_outage_answers_503_naming_each_dependency()
    {
        await using var gateway = GatewayOnDeadStorage();
        var request = HttpRequests.Get("/api/v1/health");

        var reply = await (await gateway.GetRequiredService<HealthFunction>().Run(request, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20))).RunAsync(request);

        // The public report names each dependency's state and nothing else (docs/security.md).
        Assert.Equal(503, reply.Status);
        Assert.Equal("Unhealthy", reply.Json.GetProperty("checks").GetProperty("queue").GetString());
        Assert.Equal("Unhealthy", reply.Json.GetProperty("checks").GetProperty("gpuRunner").GetString());
    }
}
