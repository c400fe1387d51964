using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MediaGateway.GpuRunner;
using MediaGateway.LocalHost;
using MediaGateway.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace MediaGateway.Tests.Security;

/// <summary>
/// The real local gateway (LocalGateway: the function classes on their routes, the runner with the real engine
/// on the CPU, in-process queue and stores) on a free loopback port, reached over real HTTP. Callers are told
/// apart by X-Forwarded-For, as behind Azure's front end (ForwardedForHops = 1), so each test can be its own client.
/// </summary>
public sealed class LocalGatewayFixture : IAsyncLifetime
{
    public const string FunctionKey = "test-function-key-0123456789";

    /// <summary>Search: 10 at once, then one a second (the rate-limit tests rely on these numbers).</summary>
    public const int SearchBurst = 10;

    private WebApplication _app = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>The gateway's services (its meter factory, for the metric tests).</summary>
    public IServiceProvider Services => _app.Services;

    public async Task InitializeAsync()
    {
        _app = LocalGateway.Build([], new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["MediaGateway:Engine:CatalogPath"] = EngineFixture.Options.CatalogPath,
            ["MediaGateway:Engine:EmbeddingStorePath"] = EngineFixture.Options.EmbeddingStorePath,
            ["MediaGateway:Engine:Backend"] = "Cpu",
            ["MediaGateway:Runner:HeartbeatInterval"] = "00:00:01",
            ["MediaGateway:Gateway:WaitForResult"] = "00:00:30",
            [LocalFunctionKey.ConfigurationKey] = FunctionKey,
            ["MediaGateway:Gateway:RateLimits:ForwardedForHops"] = "1",
            ["MediaGateway:Gateway:RateLimits:Routes:Search:Burst"] = SearchBurst.ToString(),
            ["MediaGateway:Gateway:RateLimits:Routes:Search:PerMinute"] = "60",
        });
        await _app.StartAsync();
        await _app.Services.GetRequiredService<EngineHost>().WhenReady(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(3));
        Client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()), Timeout = TimeSpan.FromSeconds(60) };

        // Green before any test: the runner has reported ready.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await HealthAsync("192.0.2.1") != "Healthy" && DateTime.UtcNow < deadline) await Task.Delay(200);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public static HttpRequestMessage From(string client, HttpRequestMessage request)
    {
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", client);
        return request;
    }

    /// <summary>The public health status, or "HTTP nnn".</summary>
    public async Task<string> HealthAsync(string client)
    {
        using var response = await Client.SendAsync(From(client, new HttpRequestMessage(HttpMethod.Get, "/api/v1/health")));
        if (response.StatusCode != HttpStatusCode.OK) return $"HTTP {(int)response.StatusCode}";
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("status").GetString()!;
    }

    /// <summary>A normal search: its status and first title.</summary>
    public async Task<(HttpStatusCode Status, string? FirstTitle)> NormalSearchAsync(string client)
    {
        using var response = await Client.SendAsync(From(client, new HttpRequestMessage(HttpMethod.Post, "/api/v1/search")
        {
            Content = JsonContent.Create(new { query = "star wars", limit = 3 }),
        }));
        if (response.StatusCode != HttpStatusCode.OK) return (response.StatusCode, null);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, body.RootElement.GetProperty("results")[0].GetProperty("title").GetString());
    }
}

[CollectionDefinition(Name)]
public sealed class LocalGatewayCollection : ICollectionFixture<LocalGatewayFixture>
{
    public const string Name = "local gateway over HTTP";
}
