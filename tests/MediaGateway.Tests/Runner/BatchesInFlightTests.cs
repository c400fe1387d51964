using MediaGateway.Contracts.Jobs;
using MediaGateway.Engine.Embedding;
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
/// bound), so a request that arrives mid-batch is embedded beside it instead of waiting for the batch to end; and a
/// request arriving after a batch is taken at once.
/// </summary>
public sealed class BatchesInFlightTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"mg-batches-in-flight-{Guid.NewGuid():N}");
    private readonly InProcessJobQueue _queue = new();
    private readonly InProcessResultStore _store = new();

    public BatchesInFlightTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A queue worker over the in-process queue and store and an engine (two batches at once) with this embedder, started.</summary>
    private async Task<QueueWorker> StartWorkerAsync(IEmbedder embedder, RunnerOptions runner)
    {
        var host = new EngineHost();
        host.SetReady(await TinyEngine.CreateAsync(_folder, embedder, concurrentBatches: 2), null);
        var options = Options.Create(runner);
        var imports = new CatalogImportProcessor(host, null!, null!, new InProcessCatalogImportStore(), new InProcessCatalogVersionStore(), new InProcessCatalogBlobSource(),
            Mock.Of<IJobQueue>(), Options.Create(new EngineOptions()), options, TimeProvider.System, NullLogger<CatalogImportProcessor>.Instance);
        var worker = new QueueWorker(host, _queue, new JobProcessor(_queue, _store, options, TimeProvider.System, NullLogger<JobProcessor>.Instance),
            imports, options, TimeProvider.System, NullLogger<QueueWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        return worker;
    }

    private async Task<bool> SucceededAsync(SearchJobMessage job) => (await _store.GetJobAsync(job.JobId))!.Status == JobStatus.Succeeded;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_request_arriving_mid_batch_is_taken_at_once_while_there_is_room(int inFlight)
    {
        var embedder = new GatedEmbedder(new HashEmbedder());
        using var worker = await StartWorkerAsync(embedder, new RunnerOptions { BatchesInFlight = inFlight, MaxBatchWait = TimeSpan.Zero });
        embedder.Gating = true; // the engine has embedded its catalog: from here on, every search waits at the model
        try
        {
            var first = await Jobs.StartAsync(_store, _queue, "a story about thing 1");
            await Poll.UntilAsync(() => embedder.Held == 1, TimeSpan.FromSeconds(5));
            var second = await Jobs.StartAsync(_store, _queue, "a story about thing 2");
            await Poll.UntilAsync(() => embedder.Held == inFlight, TimeSpan.FromSeconds(5));
            await Task.Delay(300); // time for the second batch to reach the model, were it taken with no room

            Assert.Equal(inFlight, embedder.Held);
            embedder.Release(2);
            foreach (var job in new[] { first, second })
            {
                await Poll.UntilAsync(() => SucceededAsync(job).Result, TimeSpan.FromSeconds(5));
                Assert.True(await SucceededAsync(job));
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
        // An idle wait far longer than a search: a request that waited it out would show.
        using var worker = await StartWorkerAsync(new HashEmbedder(), new RunnerOptions { IdleDelay = TimeSpan.FromSeconds(20), MaxIdleDelay = TimeSpan.FromSeconds(20) });
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var job = await Jobs.StartAsync(_store, _queue, $"a story about thing {i}");
                var clock = System.Diagnostics.Stopwatch.StartNew();
                while (!await SucceededAsync(job) && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(5);
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
