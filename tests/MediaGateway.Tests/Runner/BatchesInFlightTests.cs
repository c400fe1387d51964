using MediaGateway.Contracts.Jobs;
using MediaGateway.Engine.Pipeline;
using MediaGateway.GpuRunner;
using MediaGateway.Storage;
using MediaGateway.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace MediaGateway.Tests.Runner;

/// <summary>
/// <c>Runner:BatchesInFlight</c>: the receive loop takes the next batch while one is being searched (up to the
/// bound), so a request that arrives mid-batch is embedded beside it instead of waiting for the batch to end.
/// </summary>
public sealed class BatchesInFlightTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"mg-batches-in-flight-{Guid.NewGuid():N}");

    public BatchesInFlightTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_request_arriving_mid_batch_is_taken_at_once_while_there_is_room(int inFlight)
    {
        var embedder = new GatedEmbedder(new HashEmbedder());
        var engine = await TinyEngine.CreateAsync(_folder, embedder, concurrentBatches: 2);
        var host = new EngineHost();
        host.SetReady(engine, null);
        var queue = new InProcessJobQueue();
        var store = new InProcessResultStore();
        var options = Options.Create(new RunnerOptions { BatchesInFlight = inFlight, MaxBatchWait = TimeSpan.Zero });
        var imports = new CatalogImportProcessor(host, null!, null!, new InProcessCatalogImportStore(), new InProcessCatalogVersionStore(), new InProcessCatalogBlobSource(),
            Mock.Of<IJobQueue>(), Options.Create(new EngineOptions()), options, TimeProvider.System, NullLogger<CatalogImportProcessor>.Instance);
        using var worker = new QueueWorker(host, queue, new JobProcessor(queue, store, options, TimeProvider.System, NullLogger<JobProcessor>.Instance),
            imports, options, TimeProvider.System, NullLogger<QueueWorker>.Instance);
        embedder.Gating = true;
        await worker.StartAsync(CancellationToken.None);
        try
        {
            var first = await Jobs.StartAsync(store, queue, "a story about thing 1");
            await GatedEmbedder.UntilAsync(() => embedder.Held == 1);
            var second = await Jobs.StartAsync(store, queue, "a story about thing 2");
            await GatedEmbedder.UntilAsync(() => embedder.Held == inFlight);
            await Task.Delay(300); // time for the second batch to reach the model, were it taken with no room

            Assert.Equal(inFlight, embedder.Held);
            embedder.Release(2);
            foreach (var job in new[] { first, second })
            {
                await GatedEmbedder.UntilAsync(() => store.GetJobAsync(job.JobId).Result?.Status == JobStatus.Succeeded);
                Assert.Equal(JobStatus.Succeeded, (await store.GetJobAsync(job.JobId))!.Status);
            }
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_lone_request_after_a_batch_is_taken_at_once_not_after_the_idle_wait()
    {
        var engine = await TinyEngine.CreateAsync(_folder, new HashEmbedder(), concurrentBatches: 2);
        var host = new EngineHost();
        host.SetReady(engine, null);
        var queue = new InProcessJobQueue();
        var store = new InProcessResultStore();
        // An idle wait far longer than a search: a request that waited it out would show.
        var options = Options.Create(new RunnerOptions { IdleDelay = TimeSpan.FromSeconds(20), MaxIdleDelay = TimeSpan.FromSeconds(20) });
        var imports = new CatalogImportProcessor(host, null!, null!, new InProcessCatalogImportStore(), new InProcessCatalogVersionStore(), new InProcessCatalogBlobSource(),
            Mock.Of<IJobQueue>(), Options.Create(new EngineOptions()), options, TimeProvider.System, NullLogger<CatalogImportProcessor>.Instance);
        using var worker = new QueueWorker(host, queue, new JobProcessor(queue, store, options, TimeProvider.System, NullLogger<JobProcessor>.Instance),
            imports, options, TimeProvider.System, NullLogger<QueueWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var job = await Jobs.StartAsync(store, queue, $"a story about thing {i}");
                var clock = System.Diagnostics.Stopwatch.StartNew();
                while ((await store.GetJobAsync(job.JobId))!.Status != JobStatus.Succeeded && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(5);
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"request {i} took {clock.Elapsed.TotalSeconds:0.0} s");
                await Task.Delay(100); // the batch is over and the loop is waiting again
            }
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }
}
