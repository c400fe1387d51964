using System.Text.Json;
using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Pipeline;
using MediaGateway.Functions;
using MediaGateway.Functions.Health;
using MediaGateway.Functions.Http;
using MediaGateway.GpuRunner;
using MediaGateway.Storage;
using MediaGateway.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MediaGateway.Tests.Integration;

/// <summary>
/// The local run (gateway and runner in one process, in-process storage, CPU backend, the demo catalog) with a
/// server dependency's HTTP client pointed at an in-process double: what the Milvus and Neo4j local-run tests share.
/// </summary>
internal sealed class LocalRunHost : IAsyncDisposable
{
    private readonly IHost _host;

    private LocalRunHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    /// <param name="settings">The dependency's settings, added to the local run's.</param>
    /// <param name="httpClientName">The named client the dependency's adapter uses; its handler becomes <paramref name="server"/>.</param>
    public static async Task<LocalRunHost> StartAsync(IReadOnlyDictionary<string, string?> settings, string httpClientName, HttpMessageHandler server)
    {
        var all = new Dictionary<string, string?>
        {
            [StorageRegistration.ModeKey] = nameof(StorageMode.InProcess),
            ["MediaGateway:Engine:CatalogPath"] = EngineFixture.Options.CatalogPath,
            ["MediaGateway:Engine:EmbeddingStorePath"] = EngineFixture.Options.EmbeddingStorePath,
            ["MediaGateway:Engine:Backend"] = "Cpu",
            ["MediaGateway:Runner:IdleDelay"] = "00:00:00.050",
            ["MediaGateway:Runner:HeartbeatInterval"] = "00:00:00.200",
            ["MediaGateway:Gateway:WaitForResult"] = "00:00:30",
        };
        foreach (var (key, value) in settings) all[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddGateway(configuration);
        builder.Services.AddGpuRunner(configuration);
        builder.Services.AddHttpClient(httpClientName).ConfigurePrimaryHttpMessageHandler(() => server);
        var host = builder.Build();
        await host.StartAsync();
        await host.Services.GetRequiredService<EngineHost>().WhenReady(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(3));
        return new LocalRunHost(host);
    }

    /// <summary>POST /api/v1/search through the gateway's function, and the embedded engine's answer to the same request.</summary>
    public async Task<(Reply Reply, SearchResponse Expected)> SearchBothAsync(string body, SearchEngine embedded)
    {
        var request = HttpRequests.Post("/api/v1/search", body);
        var reply = await (await Services.GetRequiredService<SearchFunctions>().Search(request, CancellationToken.None)).RunAsync(request);
        var parsed = JsonSerializer.Deserialize<SearchRequest>(body, MediaGateway.Contracts.ContractJson.Options)!;
        var expected = (await embedded.SearchAsync([new EngineQuery("embedded", SearchRequestNormalizer.Normalize(parsed))]))[0];
        return (reply, expected);
    }

    /// <summary>
    /// The runner's report of <paramref name="dependency"/> in the health details, once its heartbeat has carried
    /// it (the route needs the function key; the host enforces it, so calling the function directly skips it).
    /// </summary>
    public async Task<JsonElement> DependencyInHealthDetailsAsync(string dependency)
    {
        var health = Services.GetRequiredService<HealthFunction>();
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var request = HttpRequests.Get("/api/v1/health/details");
            var reply = await (await health.Details(request, CancellationToken.None)).RunAsync(request);
            if (reply.Json.GetProperty("checks").GetProperty("gpuRunner").TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                && data.TryGetProperty(dependency, out var found)) return found.Clone();
            await Task.Delay(100);
        }
        return default;
    }

    /// <summary>The public health report's JSON.</summary>
    public async Task<JsonElement> PublicHealthAsync()
    {
        var request = HttpRequests.Get("/api/v1/health");
        var reply = await (await Services.GetRequiredService<HealthFunction>().Run(request, CancellationToken.None)).RunAsync(request);
        return reply.Json.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
