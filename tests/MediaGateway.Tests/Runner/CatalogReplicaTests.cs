using System.Text;
using System.Text.Json;
using MediaGateway.Contracts;
using MediaGateway.Contracts.Imports;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Kernels;
using MediaGateway.Engine.Pipeline;
using MediaGateway.GpuRunner;
using MediaGateway.Storage;
using MediaGateway.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MediaGateway.Tests.Runner;

/// <summary>
/// A catalog import reaches every runner replica and survives restarts: the importing runner publishes it (the
/// "current catalog" pointer, written conditionally), the other replica's watcher swaps it in, and a runner that
/// starts afterwards serves it instead of the configured catalog. On the in-process store and on Azurite.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class CatalogReplicaTests(EngineFixture fixture, AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly string Quorvex = string.Join('\n',
        """{"id":"quorvex-saga-2031","title":"The Quorvex Saga","year":2021,"genres":["Science Fiction"],"runtimeMinutes":118,"description":"Star pilots fight a robot armada across the galaxy."}""",
        """{"id":"lantern-keeper-1988","title":"The Lantern Keeper","year":1988,"genres":["Drama"],"runtimeMinutes":95,"description":"A quiet drama about a lighthouse keeper and his daughter."}""");

    private static readonly string Giggle = string.Join('\n',
        """{"id":"giggle-farm-2005","title":"Giggle Farm","year":2005,"genres":["Comedy"],"runtimeMinutes":82,"description":"Talking animals make a farm laugh."}""",
        """{"id":"lantern-keeper-1988","title":"The Lantern Keeper","year":1988,"genres":["Drama"],"runtimeMinutes":95,"description":"A quiet drama about a lighthouse keeper and his daughter."}""",
        """{"id":"tin-moon-1979","title":"Tin Moon","year":1979,"genres":["Science Fiction"],"runtimeMinutes":101,"description":"Miners on the moon find something buried."}""");

    private sealed record Replica(EngineHost Host, InProcessJobQueue Queue, CatalogImportProcessor Imports, CatalogWatcher Watcher, EngineStartupService Startup);

    public static TheoryData<string> Stores => ["inprocess", "azurite"];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task An_import_on_one_replica_is_served_by_the_other_and_by_a_runner_started_after_it(string storeKind)
    {
        var versions = await VersionStoreAsync(storeKind);
        var imports = new InProcessCatalogImportStore();
        var a = NewReplica(versions, imports, fixture.Engine);
        var b = NewReplica(versions, imports, fixture.Engine);
        Assert.False(await b.Watcher.CatchUpAsync(CancellationToken.None)); // nothing published yet: the configured catalog stays

        var first = await ImportAsync(a, imports, Quorvex);
        Assert.Equal(JobStatus.Succeeded, first.Status);
        Assert.Equal(first.CatalogVersion, a.Host.Engine!.CatalogVersion);
        Assert.Equal(1, (await versions.GetCurrentAsync())!.Sequence);

        // The other replica: still the configured catalog until its watcher looks, then the imported one.
        Assert.Equal(fixture.Engine.CatalogVersion, b.Host.Engine!.CatalogVersion);
        Assert.True(await b.Watcher.CatchUpAsync(CancellationToken.None));
        Assert.Equal(first.CatalogVersion, b.Host.Engine!.CatalogVersion);
        Assert.Equal("The Quorvex Saga", await TopTitleAsync(b.Host.Engine, "robot armada in space"));
        Assert.False(await b.Watcher.CatchUpAsync(CancellationToken.None)); // up to date: nothing rebuilt

        // A runner (re)started now serves the import, not the configured catalog.
        var restarted = NewReplica(versions, imports, initial: null);
        await restarted.Startup.StartAsync(CancellationToken.None);
        var engine = await restarted.Host.WhenReady(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
        await restarted.Startup.StopAsync(CancellationToken.None);
        Assert.Equal(first.CatalogVersion, engine.CatalogVersion);
        Assert.Equal(2, engine.CatalogCount);

        // A second import, on the other replica this time: both move forward to it, never back.
        var second = await ImportAsync(b, imports, Giggle);
        Assert.NotEqual(first.CatalogVersion, second.CatalogVersion);
        Assert.Equal(2, (await versions.GetCurrentAsync())!.Sequence);
        Assert.True(await a.Watcher.CatchUpAsync(CancellationToken.None));
        Assert.Equal(second.CatalogVersion, a.Host.Engine!.CatalogVersion);
        Assert.Equal(3, a.Host.Engine.CatalogCount);
    }

    [Fact]
    public async Task An_import_that_outlasts_its_lease_keeps_its_message_and_runs_once()
    {
        var versions = new InProcessCatalogVersionStore();
        var imports = new InProcessCatalogImportStore();
        // A lease long enough that a renewal (every third of it) delayed by a loaded machine still lands in time.
        var lease = TimeSpan.FromSeconds(2);
        var replica = NewReplica(versions, imports, fixture.Engine, lease: lease);
        var now = DateTimeOffset.UtcNow;
        var id = JobIds.NewHandle();
        Assert.True(await imports.TryCreateAsync(new CatalogImportRecord { ImportId = id, Status = JobStatus.Queued, CreatedAt = now, UpdatedAt = now }, Encoding.UTF8.GetBytes(Quorvex)));
        await replica.Queue.SendRawAsync(JsonSerializer.Serialize(new CatalogImportMessage { ImportId = id, EnqueuedAt = now }, ContractJson.Options));

        // Another catalog change holds the runner for 5 s (two and a half leases) before this import may start.
        await replica.Host.CatalogChanges.WaitAsync();
        await replica.Imports.TakeImportsAsync(await replica.Queue.ReceiveAsync(1, lease), CancellationToken.None);
        var takenByAnother = 0;
        for (var i = 0; i < 50; i++)
        {
            takenByAnother += (await replica.Queue.ReceiveAsync(1, lease)).Count;
            await Task.Delay(100);
        }
        replica.Host.CatalogChanges.Release();
        await replica.Imports.WhenIdleAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(0, takenByAnother);
        Assert.Equal(JobStatus.Succeeded, (await imports.GetAsync(id))!.Status);
        Assert.Equal(0, await replica.Queue.GetApproximateLengthAsync());
    }

    [Fact]
    public async Task Two_imports_started_at_once_run_in_turn_and_the_catalog_served_is_the_last_one_whole()
    {
        var versions = new InProcessCatalogVersionStore();
        var imports = new InProcessCatalogImportStore();
        var replica = NewReplica(versions, imports, fixture.Engine);
        var now = DateTimeOffset.UtcNow;
        var files = new Dictionary<string, string> { [JobIds.NewHandle()] = Quorvex, [JobIds.NewHandle()] = Giggle };
        foreach (var (id, file) in files)
        {
            Assert.True(await imports.TryCreateAsync(new CatalogImportRecord { ImportId = id, Status = JobStatus.Queued, CreatedAt = now, UpdatedAt = now }, Encoding.UTF8.GetBytes(file)));
            await replica.Queue.SendRawAsync(JsonSerializer.Serialize(new CatalogImportMessage { ImportId = id, EnqueuedAt = now }, ContractJson.Options));
        }

        // Held by another catalog change while both start: each says it waits.
        await replica.Host.CatalogChanges.WaitAsync();
        await replica.Imports.TakeImportsAsync(await replica.Queue.ReceiveAsync(2, TimeSpan.FromSeconds(30)), CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && (await Task.WhenAll(files.Keys.Select(id => imports.GetAsync(id)))).Any(r => r!.Stage?.StartsWith("waiting", StringComparison.Ordinal) != true))
            await Task.Delay(20);
        foreach (var id in files.Keys) Assert.Equal("waiting for the catalog change in progress to finish", (await imports.GetAsync(id))!.Stage);
        replica.Host.CatalogChanges.Release();
        await replica.Imports.WhenIdleAsync().WaitAsync(TimeSpan.FromMinutes(2));

        var current = (await versions.GetCurrentAsync())!;
        Assert.Equal(2, current.Sequence); // both published, one after the other
        var last = (await imports.GetAsync(current.CatalogId))!;
        var first = (await imports.GetAsync(files.Keys.Single(id => id != current.CatalogId)))!;
        Assert.Equal((JobStatus.Succeeded, JobStatus.Succeeded), (first.Status, last.Status));
        Assert.Equal(fixture.Engine.CatalogVersion, first.PreviousCatalogVersion);
        Assert.Equal(first.CatalogVersion, last.PreviousCatalogVersion); // the second replaced the first, and says so
        Assert.Equal(last.CatalogVersion, replica.Host.Engine!.CatalogVersion);
        // The last file's items, all of them and nothing else: no mix of the two.
        Assert.Equal(files[current.CatalogId].Split('\n').Length, replica.Host.Engine.CatalogCount);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Two_publications_replacing_the_same_catalog_cannot_both_succeed(string storeKind)
    {
        var versions = await VersionStoreAsync(storeKind);
        var first = new PublishedCatalog { CatalogId = JobIds.NewHandle(), Sequence = 1 };
        Assert.True(await versions.TryPublishAsync(first, Encoding.UTF8.GetBytes(Quorvex), replacing: null));
        Assert.False(await versions.TryPublishAsync(first with { CatalogId = JobIds.NewHandle() }, Encoding.UTF8.GetBytes(Giggle), replacing: null));

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => versions.TryPublishAsync(
            new PublishedCatalog { CatalogId = JobIds.NewHandle(), Sequence = 2 }, Encoding.UTF8.GetBytes(Giggle), replacing: first)));

        Assert.Single(results, r => r);
        var current = (await versions.GetCurrentAsync())!;
        Assert.Equal(2, current.Sequence);
        Assert.Equal(Encoding.UTF8.GetBytes(Giggle), await versions.GetFileAsync(current.CatalogId));
        Assert.Equal(Encoding.UTF8.GetBytes(Quorvex), await versions.GetFileAsync(first.CatalogId));
    }

    private async Task<ICatalogVersionStore> VersionStoreAsync(string kind)
    {
        if (kind == "inprocess") return new InProcessCatalogVersionStore();
        var clients = StorageClients.FromConfiguration(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [StorageRegistration.ConnectionName] = azurite.ConnectionString }).Build());
        // A container per test: the in-memory Azurite is shared by this class's tests.
        var container = clients.Container($"snapshots-{Guid.NewGuid():N}");
        await container.CreateIfNotExistsAsync();
        return new AzureCatalogVersionStore(container);
    }

    private Replica NewReplica(ICatalogVersionStore versions, ICatalogImportStore imports, SearchEngine? initial, TimeSpan? lease = null)
    {
        var host = new EngineHost();
        if (initial is not null) host.SetReady(initial, null);
        var runner = Options.Create(new RunnerOptions { VisibilityTimeout = lease ?? new RunnerOptions().VisibilityTimeout });
        var engineOptions = Options.Create(EngineFixture.Options);
        var factory = new EngineFactory(fixture.Embedder, new KernelBackendSelector(new MediaGateway.Engine.Kernels.Cuda.CudaBackendFactory()), NullLoggerFactory.Instance);
        var heartbeat = new HeartbeatService(host, new InProcessResultStore(), runner, TimeProvider.System, NullLogger<HeartbeatService>.Instance);
        var loader = new PublishedCatalogLoader(versions, factory, engineOptions, TimeProvider.System, NullLogger<PublishedCatalogLoader>.Instance);
        var queue = new InProcessJobQueue();
        return new Replica(host, queue,
            new CatalogImportProcessor(host, factory, heartbeat, imports, versions, new InProcessCatalogBlobSource(), queue, engineOptions, runner, TimeProvider.System, NullLogger<CatalogImportProcessor>.Instance),
            new CatalogWatcher(host, loader, heartbeat, runner, TimeProvider.System, NullLogger<CatalogWatcher>.Instance),
            new EngineStartupService(factory, host, loader, engineOptions, NullLogger<EngineStartupService>.Instance));
    }

    private static async Task<CatalogImportRecord> ImportAsync(Replica replica, InProcessCatalogImportStore imports, string file)
    {
        var now = DateTimeOffset.UtcNow;
        var id = JobIds.NewHandle();
        Assert.True(await imports.TryCreateAsync(new CatalogImportRecord { ImportId = id, Status = JobStatus.Queued, CreatedAt = now, UpdatedAt = now }, Encoding.UTF8.GetBytes(file)));
        await replica.Queue.SendRawAsync(JsonSerializer.Serialize(new CatalogImportMessage { ImportId = id, EnqueuedAt = now }, ContractJson.Options));
        await replica.Imports.TakeImportsAsync(await replica.Queue.ReceiveAsync(1, TimeSpan.FromSeconds(10)), CancellationToken.None);
        await replica.Imports.WhenIdleAsync().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(0, await replica.Queue.GetApproximateLengthAsync()); // done: its message deleted
        return (await imports.GetAsync(id))!;
    }

    private static async Task<string> TopTitleAsync(SearchEngine engine, string query) =>
        (await engine.SearchAsync([new EngineQuery("q", SearchRequestNormalizer.Normalize(new SearchRequest { Query = query, Limit = 1 }))]))[0].Results[0].Title;
}
