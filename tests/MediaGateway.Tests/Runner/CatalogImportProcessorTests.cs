using System.Text;
using System.Text.Json;
using MediaGateway.Contracts;
using MediaGateway.Contracts.Imports;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Engine.Embedding;
using MediaGateway.Engine.Kernels;
using MediaGateway.Engine.Pipeline;
using MediaGateway.GpuRunner;
using MediaGateway.Storage;
using MediaGateway.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace MediaGateway.Tests.Runner;

/// <summary>A catalog import whose attempts keep failing (here: the model) is retried, then failed and poisoned; the catalog in service never changes.</summary>
[Collection(EngineCollection.Name)]
public sealed class CatalogImportProcessorTests(EngineFixture fixture)
{
    private sealed class BrokenEmbedder : IEmbedder
    {
        public string ModelId => "broken";
        public int Dimension => 384;
        public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) => throw new InvalidOperationException("the model failed");
    }

    [Fact]
    public async Task Failed_attempts_are_retried_then_the_import_fails_to_the_poison_queue_and_the_catalog_in_service_is_kept()
    {
        var host = new EngineHost();
        host.SetReady(fixture.Engine, null);
        var store = new InProcessCatalogImportStore();
        var queue = new Mock<IJobQueue>();
        var runner = Options.Create(new RunnerOptions { MaxDequeueCount = 2 });
        var processor = new CatalogImportProcessor(host,
            new EngineFactory(new BrokenEmbedder(), new KernelBackendSelector(new MediaGateway.Engine.Kernels.Cuda.CudaBackendFactory()), NullLoggerFactory.Instance),
            new HeartbeatService(host, new InProcessResultStore(), runner, TimeProvider.System, NullLogger<HeartbeatService>.Instance),
            store, new InProcessCatalogVersionStore(), new InProcessCatalogBlobSource(), queue.Object, Options.Create(EngineFixture.Options), runner, TimeProvider.System, NullLogger<CatalogImportProcessor>.Instance);
        var id = JobIds.NewHandle();
        var now = DateTimeOffset.UtcNow;
        Assert.True(await store.TryCreateAsync(new CatalogImportRecord { ImportId = id, Status = JobStatus.Queued, CreatedAt = now, UpdatedAt = now },
            Encoding.UTF8.GetBytes("""{"title":"The Quorvex Saga","year":2021}""")));
        var body = JsonSerializer.Serialize(new CatalogImportMessage { ImportId = id }, ContractJson.Options);

        for (var attempt = 1; attempt <= 2; attempt++)
        {
            Assert.Empty(await processor.TakeImportsAsync([new ReceivedMessage("m1", $"r{attempt}", body, attempt)], CancellationToken.None));
            await processor.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
            var retried = (await store.GetAsync(id))!;
            Assert.Equal(JobStatus.Queued, retried.Status);
            Assert.Contains($"Attempt {attempt} failed", retried.Error);
            Assert.Equal(1, retried.Imported); // the rows were valid; the model was not
        }
        queue.Verify(q => q.DeleteAsync(It.IsAny<ReceivedMessage>(), It.IsAny<CancellationToken>()), Times.Never);

        await processor.TakeImportsAsync([new ReceivedMessage("m1", "r3", body, 3)], CancellationToken.None);

        var failed = (await store.GetAsync(id))!;
        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Contains("unchanged", failed.Error);
        queue.Verify(q => q.MoveToPoisonAsync(It.Is<ReceivedMessage>(m => m.PopReceipt == "r3"), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Same(fixture.Engine, host.Engine);
    }

    [Fact]
    public async Task Search_messages_pass_through_untouched_and_in_order()
    {
        var host = new EngineHost();
        var processor = new CatalogImportProcessor(host, null!, null!, new InProcessCatalogImportStore(), new InProcessCatalogVersionStore(), new InProcessCatalogBlobSource(), Mock.Of<IJobQueue>(),
            Options.Create(new EngineOptions()), Options.Create(new RunnerOptions()), TimeProvider.System, NullLogger<CatalogImportProcessor>.Instance);
        ReceivedMessage[] messages = [new("a", "r", """{"jobId":"x","query":"catalogImport"}""", 1), new("b", "r", "not json at all", 1)];
        Assert.Same(messages, await processor.TakeImportsAsync(messages, CancellationToken.None));
    }
}
