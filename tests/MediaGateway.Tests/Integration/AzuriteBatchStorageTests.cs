using System.Text;
using System.Text.Json;
using MediaGateway.Contracts;
using MediaGateway.Contracts.Batches;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Contracts.Search;
using MediaGateway.Storage;
using MediaGateway.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaGateway.Tests.Integration;

/// <summary>The batch store and the trigger queues on real Azure Storage APIs (Azurite).</summary>
public sealed class AzuriteBatchStorageTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private StorageClients Clients() => StorageClients.FromConfiguration(new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { [StorageRegistration.ConnectionName] = azurite.ConnectionString }).Build());

    [Fact]
    public async Task A_batch_keeps_its_queries_and_conditional_progress_and_its_results_are_written_once()
    {
        var clients = Clients();
        var table = clients.Table(StorageNames.JobsTable);
        var container = clients.Container(StorageNames.ResultsContainer);
        await table.CreateIfNotExistsAsync();
        await container.CreateIfNotExistsAsync();
        var store = new AzureBatchStore(table, container);
        SearchRequest[] queries = [new() { Query = "alien", Limit = 3 }, new() { Query = "heat", Limit = 10 }];
        var now = DateTimeOffset.UtcNow;
        var batch = new BatchRecord { BatchId = JobIds.NewHandle(), Status = JobStatus.Queued, InputKey = BatchInput.KeyFor(BatchInput.Serialize(queries)), Total = 2, CreatedAt = now, UpdatedAt = now };

        Assert.True(await store.TryCreateBatchAsync(batch, queries));
        Assert.False(await store.TryCreateBatchAsync(batch, queries));
        var stored = (await store.GetBatchAsync(batch.BatchId))!;
        Assert.Equal(batch with { CreatedAt = default, UpdatedAt = default }, stored with { CreatedAt = default, UpdatedAt = default });
        Assert.True((stored.CreatedAt - now).Duration() < TimeSpan.FromMilliseconds(1));
        Assert.Equal(queries, await store.GetQueriesAsync(batch.BatchId));

        var running = await store.TryUpdateBatchAsync(batch.BatchId, b => b with { Status = JobStatus.Running, Done = 1 });
        Assert.Equal((JobStatus.Running, 1), (running!.Status, running.Done));
        Assert.Null(await store.TryUpdateBatchAsync(batch.BatchId, _ => null));
        Assert.Null(await store.TryUpdateBatchAsync("no-such-batch", b => b with { Done = 2 }));

        Assert.Null(await store.OpenResultsAsync(batch.BatchId));
        await store.PutResultsAsync(batch.BatchId, Encoding.UTF8.GetBytes("{\"index\":0}\n{\"index\":1}\n"));
        await store.PutResultsAsync(batch.BatchId, Encoding.UTF8.GetBytes("overwritten\n"));
        await using var results = (await store.OpenResultsAsync(batch.BatchId))!;
        Assert.Equal("{\"index\":0}\n{\"index\":1}\n", await new StreamReader(results).ReadToEndAsync());
    }

    [Fact]
    public async Task A_trigger_queue_gives_a_failed_message_back_for_a_retry_and_poisons_it_bounded()
    {
        var clients = Clients();
        var name = $"batch-test-{Guid.NewGuid():N}"[..30];
        var queues = new AzureMessageQueues(clients, TimeProvider.System, NullLoggerFactory.Instance);
        await queues.EnsureCreatedAsync([name]);
        var queue = queues.Get(name);

        await queue.SendAsync("""{"schemaVersion":1,"batchId":"b1","inputKey":"k"}""");
        var first = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromMinutes(1)));
        Assert.Empty(await queue.ReceiveAsync(1, TimeSpan.FromMinutes(1)));
        await queue.ReleaseAsync(first, TimeSpan.Zero);
        var second = Assert.Single(await queue.ReceiveAsync(1, TimeSpan.FromMinutes(1)));
        Assert.Equal((first.MessageId, 2L), (second.MessageId, second.DequeueCount));
        Assert.Equal(first.Body, second.Body);

        await queue.MoveToPoisonAsync(second, "RunBatch failed 2 times");
        Assert.Equal(0, await queue.GetApproximateLengthAsync());
        var poisoned = (await clients.Queue(name + "-poison").ReceiveMessagesAsync(1)).Value.Single();
        var envelope = JsonSerializer.Deserialize<PoisonEnvelope>(poisoned.Body.ToString(), ContractJson.Options)!;
        Assert.Equal(("RunBatch failed 2 times", first.Body), (envelope.Reason, envelope.Body));
    }
}
