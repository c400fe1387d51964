using System.Text;
using Azure.Storage.Queues;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Storage;
using MediaGateway.Functions;
using MediaGateway.Functions.Http;
using MediaGateway.Functions.Search;
using MediaGateway.GpuRunner;
using MediaGateway.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MediaGateway.Tests.Integration;

/// <summary>
/// The whole path on real storage: HTTP function → Azure Storage queue (Azurite) → gpu-runner →
/// Table/Blob storage → HTTP response. The runner is the real hosted worker with the real engine.
/// </summary>
public sealed class AzuriteEndToEndTests : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private readonly AzuriteFixture _azurite;
    private IHost _runner = null!;
    private ServiceProvider _gateway = null!;

    public AzuriteEndToEndTests(AzuriteFixture azurite) => _azurite = azurite;

    private IConfiguration Configuration(Dictionary<string, string?>? overrides = null) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        [StorageRegistration.ConnectionName] = _azurite.ConnectionString,
        ["MediaGateway:Engine:CatalogPath"] = EngineFixture.Options.CatalogPath,
        ["MediaGateway:Engine:EmbeddingStorePath"] = EngineFixture.Options.EmbeddingStorePath,
        ["MediaGateway:Engine:Backend"] = "Cpu",
        ["MediaGateway:Runner:HeartbeatInterval"] = "00:00:01",
        ["MediaGateway:Gateway:WaitForResult"] = "00:00:30",
    }).AddInMemoryCollection(overrides ?? []).Build();

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddGpuRunner(Configuration());
        _runner = builder.Build();
        await _runner.StartAsync();
        await _runner.Services.GetRequiredService<EngineHost>().WhenReady(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(3));

        var services = new ServiceCollection().AddLogging();
        services.AddGateway(Configuration());
        _gateway = services.BuildServiceProvider();
        // As a deployed gateway meets a runner that has been up a while: its heartbeat has reported the catalog version.
        // A search before the first heartbeat keys its cache on no version and the next one on the version, so the
        // repeat in the first test would miss the cache (by design: one extra miss while a runner starts). A busy
        // machine showed it once.
        var store = _gateway.GetRequiredService<IResultStore>();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((await store.GetRunnerStatusAsync())?.CatalogVersion is null)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), "the runner reported no catalog version within 30 s");
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        await _runner.StopAsync();
        _runner.Dispose();
        await _gateway.DisposeAsync();
    }

    private async Task<Reply> SearchAsync(string body)
    {
        var request = HttpRequests.Post("/api/v1/search", body);
        return await (await _gateway.GetRequiredService<SearchFunctions>().Search(request, CancellationToken.None)).RunAsync(request);
    }

    [Fact]
    public async Task A_search_travels_through_the_queue_and_the_runner_and_comes_back()
    {
        var reply = await SearchAsync("""{"query":"star wars","limit":3}""");

        Assert.Equal(200, reply.Status);
        Assert.StartsWith("Star Wars", reply.Json.GetProperty("results")[0].GetProperty("title").GetString());
        Assert.False(reply.Json.GetProperty("cached").GetBoolean());

        var jobId = reply.Json.GetProperty("jobId").GetString()!;
        var job = HttpRequests.Get($"/api/v1/jobs/{jobId}");
        var status = await (await _gateway.GetRequiredService<SearchFunctions>().GetJob(job, jobId, CancellationToken.None)).RunAsync(job);
        Assert.Equal("succeeded", status.Json.GetProperty("status").GetString());

        var again = await SearchAsync("""{"query":"  Star Wars ","limit":3}""");
        Assert.True(again.Json.GetProperty("cached").GetBoolean());
    }

    [Fact]
    public async Task Queue_messages_are_base64_json_as_the_functions_queue_extension_expects()
    {
        // A gateway that never waits, so the message is still on the queue to inspect.
        var services = new ServiceCollection().AddLogging();
        services.AddGateway(Configuration(new() { ["MediaGateway:Gateway:WaitForResult"] = "00:00:00" }));
        await using var gateway = services.BuildServiceProvider();
        await _runner.StopAsync(); // keep the runner from taking it first
        var request = HttpRequests.Post("/api/v1/search", """{"query":"base64 check"}""");
        var reply = await (await gateway.GetRequiredService<SearchFunctions>().Search(request, CancellationToken.None)).RunAsync(request);
        Assert.Equal(202, reply.Status);

        var raw = new QueueClient(_azurite.ConnectionString, StorageNames.SearchQueue); // no decoding: the bytes as stored
        var peeked = (await raw.PeekMessagesAsync(32)).Value.Select(m => Encoding.UTF8.GetString(Convert.FromBase64String(m.Body.ToString()))).ToArray();
        Assert.Contains(peeked, text => text.Contains("\"base64 check\""));
    }

    [Fact]
    public async Task Malformed_messages_are_poisoned_and_the_runner_keeps_working()
    {
        var clients = StorageClients.FromConfiguration(Configuration());
        var queue = clients.Queue(StorageNames.SearchQueue);
        var poison = new QueueClient(_azurite.ConnectionString, StorageNames.SearchPoisonQueue);
        var before = await CountAsync(poison);
        await queue.SendMessageAsync("""{"jobId":"poisoned-job","request":{"query":""}}""");
        await queue.SendMessageAsync("definitely not json");
        await new QueueClient(_azurite.ConnectionString, StorageNames.SearchQueue).SendMessageAsync("%%% not base64 %%%");

        var reply = await SearchAsync("""{"query":"toy story","limit":2}""");

        Assert.Equal(200, reply.Status);
        Assert.Equal(before + 3, await CountAtLeastAsync(poison, before + 3));
    }

    [Fact]
    public async Task An_oversize_undecodable_message_goes_to_the_poison_queue_bounded_and_never_blocks_its_batchmates()
    {
        var poison = new QueueClient(_azurite.ConnectionString, StorageNames.SearchPoisonQueue);
        var before = await CountAsync(poison);
        // 60,000 bytes that are not Base64: ~80 KB if re-encoded whole, over the queue's 64 KiB limit.
        await new QueueClient(_azurite.ConnectionString, StorageNames.SearchQueue).SendMessageAsync("%" + new string('x', 59_999));

        var reply = await SearchAsync("""{"query":"alien","limit":2}""");

        Assert.Equal(200, reply.Status);
        Assert.Equal(before + 1, await CountAtLeastAsync(poison, before + 1));
        var envelopes = (await poison.PeekMessagesAsync(32)).Value
            .Select(m => System.Text.Json.JsonSerializer.Deserialize<PoisonEnvelope>(Encoding.UTF8.GetString(Convert.FromBase64String(m.Body.ToString())), MediaGateway.Contracts.ContractJson.Options)!);
        Assert.Contains(envelopes, e => e.BodyLength == 60_000 && e.BodyTruncated && e.Reason.Contains("Base64"));
    }

    [Fact]
    public async Task Fifty_identical_concurrent_new_searches_enqueue_one_job()
    {
        await _runner.StopAsync(); // so the one message stays on the queue to be counted
        var services = new ServiceCollection().AddLogging();
        services.AddGateway(Configuration(new() { ["MediaGateway:Gateway:WaitForResult"] = "00:00:00" }));
        await using var gateway = services.BuildServiceProvider();
        var raw = new QueueClient(_azurite.ConnectionString, StorageNames.SearchQueue);
        var before = await CountAsync(raw);

        var replies = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            var request = HttpRequests.Post("/api/v1/search", """{"query":"identical storm","limit":4}""");
            return await (await gateway.GetRequiredService<SearchFunctions>().Search(request, CancellationToken.None)).RunAsync(request);
        })));

        Assert.All(replies, r => Assert.Equal(202, r.Status));
        Assert.Single(replies.Select(r => r.Json.GetProperty("jobId").GetString()).Distinct());
        Assert.Equal(before + 1, await CountAsync(raw));
    }

    [Fact]
    public async Task A_finished_job_is_never_completed_again_on_table_storage()
    {
        var store = _gateway.GetRequiredService<IResultStore>();
        var job = Jobs.Message("conditional writes");
        Assert.True(await Jobs.CreateAsync(store, Jobs.Record(job)));
        Assert.False(await Jobs.CreateAsync(store, Jobs.Record(job)));
        var first = new MediaGateway.Contracts.Search.SearchResponse { JobId = job.JobId, Query = "first", Results = [] };

        Assert.True(await store.CompleteJobAsync(job.JobId, first, DateTimeOffset.UtcNow));
        Assert.False(await store.CompleteJobAsync(job.JobId, first with { Query = "second" }, DateTimeOffset.UtcNow));
        Assert.Null(await store.TryUpdateJobAsync(job.JobId, j => j.Status.IsFinished() ? null : j with { Status = JobStatus.Failed }));

        Assert.Equal(JobStatus.Succeeded, (await store.GetJobAsync(job.JobId))!.Status);
        Assert.Equal("first", (await store.GetResultAsync(job.JobId))!.Query);
        // Twenty gateways start a job for one new request at once: one writes its job and claim, the rest nothing.
        var storm = Enumerable.Range(0, 20).Select(_ => Jobs.Message("conditional claims")).ToArray();
        var claims = await Task.WhenAll(storm.Select(m => store.TryCreateClaimedJobAsync(Jobs.Record(m), null)));
        Assert.Single(claims, c => c);
        var winner = storm[Array.IndexOf(claims, true)];
        Assert.Equal(winner.JobId, await store.GetJobIdForCacheKeyAsync(winner.CacheKey));
        foreach (var loser in storm.Where(m => m != winner)) Assert.Null(await store.GetJobAsync(loser.JobId));
        // Replacing the claim is conditional on where it points now.
        var replacement = Jobs.Message("conditional claims");
        Assert.False(await store.TryCreateClaimedJobAsync(Jobs.Record(replacement), "not-the-current-job"));
        Assert.Null(await store.GetJobAsync(replacement.JobId));
        Assert.True(await store.TryCreateClaimedJobAsync(Jobs.Record(replacement), winner.JobId));
        Assert.Equal(replacement.JobId, await store.GetJobIdForCacheKeyAsync(winner.CacheKey));
    }

    [Fact]
    public async Task A_runner_killed_mid_batch_loses_nothing_and_duplicates_nothing_after_restart()
    {
        await _runner.StopAsync();
        var services = new ServiceCollection().AddLogging();
        services.AddGateway(Configuration(new() { ["MediaGateway:Gateway:WaitForResult"] = "00:00:00" }));
        await using var gateway = services.BuildServiceProvider();
        var handles = new List<string>();
        foreach (var query in new[] { "killed alien", "killed toy story", "killed jaws", "killed heat" })
        {
            var request = HttpRequests.Post("/api/v1/search", $$"""{"query":"{{query}}","limit":2}""");
            var reply = await (await gateway.GetRequiredService<SearchFunctions>().Search(request, CancellationToken.None)).RunAsync(request);
            handles.Add(reply.Json.GetProperty("jobId").GetString()!);
        }

        // A runner takes the batch with a 1 s lease, writes the first result and dies before deleting anything.
        var queue = gateway.GetRequiredService<IJobQueue>();
        var store = gateway.GetRequiredService<IResultStore>();
        var taken = await queue.ReceiveAsync(32, TimeSpan.FromSeconds(1));
        Assert.True(taken.Count >= handles.Count);
        var partial = new MediaGateway.Contracts.Search.SearchResponse { JobId = handles[0], Query = "killed alien", Results = [], CompletedAt = DateTimeOffset.UnixEpoch };
        await store.TryUpdateJobAsync(handles[0], j => j with { Status = JobStatus.Running });
        await store.CompleteJobAsync(handles[0], partial, DateTimeOffset.UtcNow);

        // A new runner: every message reappears after the lease; every job completes exactly once.
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddGpuRunner(Configuration());
        using var restarted = builder.Build();
        await restarted.StartAsync();
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            foreach (var handle in handles)
            {
                while ((await store.GetJobAsync(handle))!.Status != JobStatus.Succeeded && DateTime.UtcNow < deadline) await Task.Delay(100);
                Assert.Equal(JobStatus.Succeeded, (await store.GetJobAsync(handle))!.Status);
                Assert.NotNull(await store.GetResultAsync(handle));
            }
            Assert.Equal(DateTimeOffset.UnixEpoch, (await store.GetResultAsync(handles[0]))!.CompletedAt);
            deadline = DateTime.UtcNow.AddSeconds(20);
            var raw = new QueueClient(_azurite.ConnectionString, StorageNames.SearchQueue);
            while (await CountAsync(raw) > 0 && DateTime.UtcNow < deadline) await Task.Delay(100);
            Assert.Equal(0, await CountAsync(raw));
        }
        finally
        {
            await restarted.StopAsync();
        }
    }

    private static async Task<int> CountAsync(QueueClient queue) => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

    private static async Task<int> CountAtLeastAsync(QueueClient queue, int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        int count;
        while ((count = await CountAsync(queue)) < expected && DateTime.UtcNow < deadline) await Task.Delay(100);
        return count;
    }

    [Fact]
    public async Task The_runner_reports_itself_for_the_health_endpoint()
    {
        var health = _gateway.GetRequiredService<MediaGateway.Functions.Health.HealthFunction>();
        Reply reply;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        do
        {
            var request = HttpRequests.Get("/api/v1/health/details");
            reply = await (await health.Details(request, CancellationToken.None)).RunAsync(request);
        } while (reply.Json.GetProperty("status").GetString() != "Healthy" && DateTime.UtcNow < deadline);

        Assert.Equal(200, reply.Status);
        Assert.Equal("Healthy", reply.Json.GetProperty("status").GetString());
        Assert.Equal("cpu", reply.Json.GetProperty("checks").GetProperty("gpuRunner").GetProperty("data").GetProperty("backend").GetString());
    }
}
