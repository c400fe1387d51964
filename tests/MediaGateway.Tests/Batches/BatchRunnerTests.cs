using System.Text.Json;
using MediaGateway.Contracts;
using MediaGateway.Contracts.Batches;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Contracts.Search;

namespace MediaGateway.Tests.Batches;

/// <summary>The queue-triggered batch function, run by the local trigger pump against a stand-in runner.</summary>
public sealed class BatchRunnerTests
{
    [Fact]
    public async Task A_batch_running_longer_than_the_pumps_lease_is_not_delivered_again_mid_run_nor_after_success()
    {
        // A 1.5 s lease on the batch message (renewed every 0.5 s, so a renewal a loaded machine delays by up to a
        // second still lands in time); the batch takes several runner batches of 0.8 s each.
        var lease = TimeSpan.FromMilliseconds(1_500);
        await using var world = new BatchWorld(pumpLease: lease, engineDelay: TimeSpan.FromMilliseconds(800));
        var batch = await world.StartAsync(Enumerable.Range(0, 32).Select(i => $"slow query {i}").ToArray());

        // Once the pump has taken the message and the batch runs, a second Functions host instance tries to take it too.
        await world.WaitUntilAsync(() => world.EngineQueries > 0, "the batch to start");
        var takenByAnother = 0;
        var finished = world.WaitFinishedAsync(batch.BatchId, TimeSpan.FromSeconds(60));
        while (!finished.IsCompleted)
        {
            takenByAnother += (await world.BatchQueue.ReceiveAsync(1, lease)).Count;
            await Task.WhenAny(finished, Task.Delay(50));
        }
        var done = await finished;

        Assert.Equal(0, takenByAnother);
        Assert.Equal(JobStatus.Succeeded, done.Status);
        Assert.Equal(32, world.EngineQueries);
        await world.WaitUntilAsync(() => world.BatchQueue.GetApproximateLengthAsync().Result == 0, "the batch message to be deleted");
        await Task.Delay(lease + TimeSpan.FromMilliseconds(300)); // past one more lease: nothing comes back
        Assert.Empty(await world.BatchQueue.ReceiveAsync(1, TimeSpan.FromSeconds(1)));
        Assert.Equal(32, world.EngineQueries);
    }

    [Fact]
    public async Task Results_come_one_line_per_query_in_input_order_with_per_query_errors()
    {
        await using var world = new BatchWorld();
        var queries = Enumerable.Range(0, 50).Select(i => i == 7 ? "boom seven" : i == 31 ? "boom again" : $"query number {i}").ToArray();

        var batch = await world.StartAsync(queries);
        var finished = await world.WaitFinishedAsync(batch.BatchId);

        Assert.Equal(JobStatus.Succeeded, finished.Status);
        Assert.Equal((50, 50, 2), (finished.Total, finished.Done, finished.Failed));
        var lines = await world.ResultsAsync(batch.BatchId);
        Assert.Equal(Enumerable.Range(0, 50), lines.Select(l => l.Index));
        Assert.Equal(queries, lines.Select(l => l.Query));
        foreach (var line in lines)
        {
            if (line.Query.StartsWith("boom", StringComparison.Ordinal))
            {
                Assert.Equal(JobStatus.Failed, line.Status);
                Assert.Contains("could not be searched", line.Error);
                Assert.Null(line.Result);
            }
            else
            {
                Assert.Equal(JobStatus.Succeeded, line.Status);
                Assert.Equal(line.Query, Assert.Single(line.Result!.Results).Title);
                Assert.Equal(line.JobId, line.Result.JobId);
            }
        }
    }

    [Fact]
    public async Task Queries_answered_before_come_from_the_cache_and_repeats_within_a_batch_share_one_search()
    {
        await using var world = new BatchWorld();
        var single = await world.Searches.SearchAsync(new SearchRequest { Query = "alien", Limit = 3 }, CancellationToken.None);
        Assert.IsType<MediaGateway.Functions.Search.SearchOutcome.Completed>(single);
        var before = world.EngineQueries;

        var batch = await world.StartAsync("alien", "Alien", "toy story", "toy  story", "heat");
        await world.WaitFinishedAsync(batch.BatchId);

        var lines = await world.ResultsAsync(batch.BatchId);
        Assert.True(lines[0].Result!.Cached);
        Assert.True(lines[1].Result!.Cached); // normalised to the same request
        Assert.Equal(lines[2].JobId, lines[3].JobId);
        Assert.Equal(2, world.EngineQueries - before); // "toy story" once, "heat" once
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("""{"schemaVersion":1,"batchId":"../etc","inputKey":"x"}""")]
    [InlineData("""{"schemaVersion":7,"batchId":"b1","inputKey":"x"}""")]
    [InlineData("""{"schemaVersion":1,"batchId":"no-such-batch","inputKey":"x"}""")]
    public async Task A_malformed_batch_message_ends_in_the_poison_queue_and_other_batches_complete(string body)
    {
        await using var world = new BatchWorld();
        await ((IMessageQueue)world.BatchQueue).SendAsync(body);
        var good = await world.StartAsync("heat", "alien");

        Assert.Equal(JobStatus.Succeeded, (await world.WaitFinishedAsync(good.BatchId)).Status);
        await world.WaitUntilAsync(() => world.Poisoned.Length == 1, "the poison message");
        var poisoned = Assert.Single(world.Poisoned);
        Assert.Equal(5, poisoned.DequeueCount);
        Assert.Equal(body, poisoned.Body);
        Assert.Equal(0, await world.BatchQueue.GetApproximateLengthAsync());
    }

    [Fact]
    public async Task A_message_naming_another_batch_without_its_key_never_touches_that_batch()
    {
        await using var world = new BatchWorld();
        var victim = await world.StartAsync("heat", "alien");
        await world.WaitFinishedAsync(victim.BatchId);
        var forged = JsonSerializer.Serialize(new BatchJobMessage { BatchId = victim.BatchId, InputKey = new string('0', 64) }, ContractJson.Options);

        await ((IMessageQueue)world.BatchQueue).SendAsync(forged);
        await world.WaitUntilAsync(() => world.Poisoned.Length == 1, "the forged message in the poison queue");

        var after = (await world.Store.GetBatchAsync(victim.BatchId))!;
        Assert.Equal(JobStatus.Succeeded, after.Status);
        Assert.Null(after.Error);
        Assert.Equal(2, (await world.ResultsAsync(victim.BatchId)).Length);
    }

    [Fact]
    public async Task A_batch_that_cannot_be_run_is_marked_failed_and_poisoned_while_the_next_batch_completes()
    {
        await using var world = new BatchWorld();
        // A batch whose stored queries are not the ones its key was made from (changed behind the gateway's back):
        // every attempt refuses them.
        SearchRequest[] queries = [new() { Query = "heat", Limit = 3 }, new() { Query = "alien", Limit = 3 }];
        var now = DateTimeOffset.UtcNow;
        var bad = new BatchRecord { BatchId = JobIds.NewHandle(), Status = JobStatus.Queued, InputKey = BatchInput.KeyFor(BatchInput.Serialize(queries)), Total = 2, CreatedAt = now, UpdatedAt = now };
        Assert.True(await world.Store.TryCreateBatchAsync(bad, [new() { Query = "something else", Limit = 3 }, queries[1]]));
        await ((IMessageQueue)world.BatchQueue).SendAsync(JsonSerializer.Serialize(new BatchJobMessage { BatchId = bad.BatchId, InputKey = bad.InputKey }, ContractJson.Options));
        var good = await world.StartAsync("toy story");

        Assert.Equal(JobStatus.Succeeded, (await world.WaitFinishedAsync(good.BatchId)).Status);
        var failed = await world.WaitFinishedAsync(bad.BatchId);

        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Contains("after 5 attempts", failed.Error);
        Assert.Contains("not the ones it was created with", failed.Error);
        await world.WaitUntilAsync(() => world.Poisoned.Length == 1, "the bad batch's message in the poison queue");
        Assert.Contains(bad.BatchId, Assert.Single(world.Poisoned).Body);
    }

    [Fact]
    public async Task A_repeated_message_of_a_finished_batch_changes_nothing()
    {
        await using var world = new BatchWorld();
        var batch = await world.StartAsync("heat", "alien");
        var finished = await world.WaitFinishedAsync(batch.BatchId);
        var searched = world.EngineQueries;

        await ((IMessageQueue)world.BatchQueue).SendAsync(JsonSerializer.Serialize(new BatchJobMessage { BatchId = batch.BatchId, InputKey = batch.InputKey }, ContractJson.Options));
        await world.WaitUntilAsync(() => world.BatchQueue.GetApproximateLengthAsync().Result == 0, "the repeat to be consumed");

        Assert.Equal(finished, await world.Store.GetBatchAsync(batch.BatchId));
        Assert.Equal(searched, world.EngineQueries);
        Assert.Empty(world.Poisoned);
    }
}
