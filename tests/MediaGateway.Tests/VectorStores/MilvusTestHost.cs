using System.Text.Json.Nodes;
using MediaGateway.Engine.VectorStores;
using MediaGateway.VectorStores.Milvus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MediaGateway.Tests.VectorStores;

/// <summary>
/// The production registration (<see cref="MilvusRegistration.AddMilvusVectorStore"/>: options, resilient
/// HttpClient, connector) aimed at the in-process <see cref="MilvusDouble"/>, or at a real server when
/// <c>MILVUS_URI</c> is set (token from <c>MILVUS_TOKEN</c>). Each host uses its own collection and drops it after.
/// </summary>
internal sealed class MilvusTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private MilvusTestHost(MilvusDouble? server, string endpoint, string? token, IDictionary<string, string?>? settings)
    {
        Double = server;
        Collection = "mg_test_" + Guid.NewGuid().ToString("N")[..12];
        var values = new Dictionary<string, string?>
        {
            ["MediaGateway:Milvus:Endpoint"] = endpoint,
            ["MediaGateway:Milvus:Token"] = token,
            ["MediaGateway:Milvus:Collection"] = Collection,
            ["MediaGateway:Milvus:ConsistencyLevel"] = "Strong", // tests read their own writes at once
            ["MediaGateway:Milvus:UpsertBatchSize"] = "7",       // small, so that batching is exercised
            ["MediaGateway:Milvus:DeleteBatchSize"] = "5",
            ["MediaGateway:Milvus:RetryBaseDelay"] = "00:00:00.010",
            ["MediaGateway:Milvus:MaxRetries"] = "2",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection().AddLogging();
        var client = services.AddMilvusVectorStore(configuration);
        if (server is not null) client.ConfigurePrimaryHttpMessageHandler(() => server);
        _services = services.BuildServiceProvider();
    }

    public static string? ServerUri => Environment.GetEnvironmentVariable("MILVUS_URI") is { Length: > 0 } uri ? uri : null;

    public MilvusDouble? Double { get; }
    public string Collection { get; }

    public static MilvusTestHost ForDouble(MilvusDouble server, IDictionary<string, string?>? settings = null) =>
        new(server, "http://milvus.test:19530", server.Token, settings);

    public static MilvusTestHost ForServer(IDictionary<string, string?>? settings = null) =>
        new(null, ServerUri ?? throw new InvalidOperationException("MILVUS_URI is not set."), Environment.GetEnvironmentVariable("MILVUS_TOKEN"), settings);

    public IVectorStoreConnector Connector => _services.GetServices<IVectorStoreConnector>().Single();

    public Task<IVectorStore> OpenAsync(string catalog, int dimension) => Connector.OpenAsync(catalog, dimension);

    public MilvusRestClient Client => new(_services.GetRequiredService<IHttpClientFactory>().CreateClient(MilvusRegistration.HttpClientName),
        _services.GetRequiredService<IOptions<MilvusOptions>>().Value);

    public async ValueTask DisposeAsync()
    {
        if (Double is null)
        {
            try
            {
                await Client.PostAsync("collections/drop", new JsonObject { ["collectionName"] = Collection }, CancellationToken.None);
            }
            catch (Exception)
            {
                // Best effort: a test that failed to create the collection leaves nothing to drop.
            }
        }
        await _services.DisposeAsync();
    }
}
