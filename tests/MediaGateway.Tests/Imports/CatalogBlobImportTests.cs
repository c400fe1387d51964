using System.Text;
using MediaGateway.Contracts.Imports;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Engine.Kernels;
using MediaGateway.Engine.Pipeline;
using MediaGateway.Functions;
using MediaGateway.Functions.Imports;
using MediaGateway.GpuRunner;
using MediaGateway.Storage;
using MediaGateway.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MediaGateway.Tests.Imports;

/// <summary>
/// <c>POST /api/v1/catalog/imports</c> with <c>{"blobUrl": ...}</c>: only blobs of the configured storage account are
/// fetched (no other host: SSRF), by the runner with its own credentials, within a size limit, and imported with the
/// same validation, progress and per-row errors as an uploaded file. On Azurite.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class CatalogBlobImportTests(EngineFixture fixture, AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Account = "https://mediastore.blob.core.windows.net";

    private static AzureCatalogBlobSource SourceFor(string connectionString) =>
        new(StorageClients.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [StorageRegistration.ConnectionName] = connectionString }).Build()));

    public static TheoryData<string> Refused => [
        "http://169.254.169.254/metadata/instance",                       // cloud metadata service
        "https://evil.example/catalog.json",
        "https://mediastore.blob.core.windows.net.evil.example/c/catalog.json",
        "https://other.blob.core.windows.net/catalogs/movies.json",       // another account
        "https://mediastore.blob.core.windows.net:8443/catalogs/movies.json",
        "http://mediastore.blob.core.windows.net/catalogs/movies.json",   // not the account's scheme
        "https://mediastore.blob.core.windows.net/catalogs/movies.json?sv=2024&sig=abc", // SAS token
        "https://user:pw@mediastore.blob.core.windows.net/catalogs/movies.json",
        "https://mediastore.blob.core.windows.net/catalogs",              // no blob
        "file:///etc/passwd",
        "catalogs/movies.json",
        "",
    ];

    [Theory]
    [MemberData(nameof(Refused))]
    public void Urls_outside_the_configured_account_are_refused(string url)
    {
        var source = SourceFor($"DefaultEndpointsProtocol=https;AccountName=mediastore;AccountKey={Convert.ToBase64String(new byte[32])};EndpointSuffix=core.windows.net");
        Assert.NotNull(source.Check(url));
        Assert.Null(source.Check($"{Account}/catalogs/movies.json"));
        Assert.Null(source.Check($"{Account}/catalogs/2026/movies.jsonl"));
    }

    [Fact]
    public void Azurites_path_style_urls_must_name_its_account()
    {
        var source = SourceFor(azurite.ConnectionString);
        var endpoint = StorageClients.FromConfiguration(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [StorageRegistration.ConnectionName] = azurite.ConnectionString }).Build()).BlobEndpoint;
        Assert.Null(source.Check($"{endpoint.GetLeftPart(UriPartial.Authority)}/devstoreaccount1/catalogs/movies.json"));
        Assert.NotNull(source.Check($"{endpoint.GetLeftPart(UriPartial.Authority)}/otheraccount/catalogs/movies.json"));
    }

    [Fact]
    public async Task A_refused_url_is_a_400_naming_blobUrl_and_starts_nothing()
    {
        await using var gateway = Gateway();
        await PrepareAsync(gateway);
        var before = await gateway.GetRequiredService<IJobQueue>().GetApproximateLengthAsync();
        var functions = gateway.GetRequiredService<CatalogImportFunctions>();
        foreach (var (body, field) in new[]
        {
            ("""{"blobUrl":"http://169.254.169.254/metadata/instance"}""", "blobUrl"),
            ("""{"blobUrl":42}""", "blobUrl"),
            ("""{"blobUrl":"x","sas":"abc"}""", "sas"),
        })
        {
            var request = HttpRequests.Post("/api/v1/catalog/imports", body);
            var reply = await (await functions.Start(request, CancellationToken.None)).RunAsync(request);
            Assert.Equal(400, reply.Status);
            Assert.Equal([field], reply.ProblemFields);
        }
        Assert.Equal(before, await gateway.GetRequiredService<IJobQueue>().GetApproximateLengthAsync());
    }

    [Fact]
    public async Task The_embedded_default_refuses_blob_urls_and_says_to_upload_instead()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddGateway(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [StorageRegistration.ModeKey] = nameof(StorageMode.InProcess) }).Build());
        await using var gateway = services.BuildServiceProvider();
        var request = HttpRequests.Post("/api/v1/catalog/imports", """{"blobUrl":"https://mediastore.blob.core.windows.net/catalogs/movies.json"}""");
        var reply = await (await gateway.GetRequiredService<CatalogImportFunctions>().Start(request, CancellationToken.None)).RunAsync(request);
        Assert.Equal(400, reply.Status);
        Assert.Contains("Upload the file instead", reply.Text);
    }

    [Fact]
    public async Task A_blob_in_the_account_is_read_by_the_runner_and_imported_with_per_row_errors()
    {
        await using var gateway = Gateway();
        await PrepareAsync(gateway);
        var clients = gateway.GetRequiredService<StorageClients>();
        var container = clients.Container("catalogs");
        await container.CreateIfNotExistsAsync();
        var file = Encoding.UTF8.GetBytes(string.Join('\n',
            """{"id":"quorvex-saga-2031","title":"The Quorvex Saga","year":2021,"genres":["Science Fiction"],"runtimeMinutes":118,"description":"Star pilots fight a robot armada across the galaxy."}""",
            """{"id":"no-title","year":1999}""",
            """{"id":"lantern-keeper-1988","title":"The Lantern Keeper","year":1988,"genres":["Drama"],"runtimeMinutes":95,"description":"A quiet drama about a lighthouse keeper."}"""));
        var blob = container.GetBlobClient($"{Guid.NewGuid():N}/movies.jsonl");
        await blob.UploadAsync(BinaryData.FromBytes(file));

        var import = await StartAsync(gateway, blob.Uri.ToString());
        Assert.Equal(blob.Uri.ToString(), import.BlobUrl);
        var done = await RunImportAsync(gateway);

        Assert.Equal(JobStatus.Succeeded, done.Status);
        Assert.Equal((3, 2, 1, (long)file.Length), (done.RowsRead, done.Imported, done.Rejected, done.Bytes));
        Assert.Contains("title", Assert.Single(done.Errors));
        Assert.NotNull(done.CatalogVersion);
    }

    [Fact]
    public async Task A_missing_or_oversize_blob_fails_the_import_with_the_reason_and_changes_nothing()
    {
        await using var gateway = Gateway();
        await PrepareAsync(gateway);
        var clients = gateway.GetRequiredService<StorageClients>();
        var container = clients.Container("catalogs");
        await container.CreateIfNotExistsAsync();

        await StartAsync(gateway, container.GetBlobClient($"{Guid.NewGuid():N}/missing.json").Uri.ToString());
        var missing = await RunImportAsync(gateway);
        Assert.Equal(JobStatus.Failed, missing.Status);
        Assert.Contains("No such blob", missing.Error);

        // The size limit, checked before a byte is read and again while reading.
        var big = container.GetBlobClient($"{Guid.NewGuid():N}/big.json");
        await big.UploadAsync(BinaryData.FromBytes(new byte[4_096]));
        var tooLarge = await Assert.ThrowsAsync<CatalogBlobException>(() => SourceFor(azurite.ConnectionString).ReadAsync(big.Uri.ToString(), 1_000));
        Assert.Contains("at most 1,000", tooLarge.Message);
    }

    private ServiceProvider Gateway()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddGateway(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [StorageRegistration.ConnectionName] = azurite.ConnectionString }).Build());
        return services.BuildServiceProvider();
    }

    private static async Task PrepareAsync(IServiceProvider gateway)
    {
        await gateway.GetRequiredService<AzureResultStore>().EnsureCreatedAsync();
        await gateway.GetRequiredService<AzureStorageJobQueue>().EnsureCreatedAsync();
    }

    private static async Task<CatalogImportRecord> StartAsync(IServiceProvider gateway, string blobUrl)
    {
        var request = HttpRequests.Post("/api/v1/catalog/imports", $$"""{"blobUrl":"{{blobUrl}}"}""");
        var reply = await (await gateway.GetRequiredService<CatalogImportFunctions>().Start(request, CancellationToken.None)).RunAsync(request);
        Assert.Equal(202, reply.Status);
        return reply.Deserialize<CatalogImportRecord>();
    }

    /// <summary>A runner on the same storage takes the import message from the queue and runs it to the end.</summary>
    private async Task<CatalogImportRecord> RunImportAsync(IServiceProvider gateway)
    {
        var queue = gateway.GetRequiredService<IJobQueue>();
        var imports = gateway.GetRequiredService<ICatalogImportStore>();
        var host = new EngineHost();
        host.SetReady(fixture.Engine, null);
        var runner = Options.Create(new RunnerOptions());
        var factory = new EngineFactory(fixture.Embedder, new KernelBackendSelector(new MediaGateway.Engine.Kernels.Cuda.CudaBackendFactory()), NullLoggerFactory.Instance);
        var processor = new CatalogImportProcessor(host, factory, new HeartbeatService(host, new InProcessResultStore(), runner, TimeProvider.System, NullLogger<HeartbeatService>.Instance),
            imports, gateway.GetRequiredService<ICatalogVersionStore>(), gateway.GetRequiredService<ICatalogBlobSource>(), queue,
            Options.Create(EngineFixture.Options), runner, TimeProvider.System, NullLogger<CatalogImportProcessor>.Instance);
        var message = Assert.Single(await queue.ReceiveAsync(32, TimeSpan.FromSeconds(30)));
        Assert.Empty(await processor.TakeImportsAsync([message], CancellationToken.None));
        await processor.WhenIdleAsync().WaitAsync(TimeSpan.FromMinutes(2));
        var id = System.Text.Json.JsonDocument.Parse(message.Body).RootElement.GetProperty("importId").GetString()!;
        return (await imports.GetAsync(id))!;
    }
}
