using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Pipeline;
using MediaGateway.Functions;
using MediaGateway.Functions.Http;
using MediaGateway.Storage;
using MediaGateway.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MediaGateway.Tests.Integration;

/// <summary>
/// The split deployment on Azurite: the gateway here, the runner as its own process (local host, --role runner),
/// killed with SIGKILL while it works through a queue of searches, then started again. Every job must end
/// succeeded exactly once, with the result an uninterrupted engine gives. Bounded waits, no timing asserts.
/// </summary>
public sealed class RunnerProcessKillTests(AzuriteFixture azurite, EngineFixture reference, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<AzuriteFixture>, IClassFixture<EngineFixture>
{
    // Long enough that the kill lands mid-backlog: at 48 the runner (two batches in flight, no batch wait) once
    // finished them all before the polls below saw the first one succeed.
    private const int Jobs = 160;
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(3);

    private Dictionary<string, string> RunnerSettings => new()
    {
        ["MediaGateway:Engine:CatalogPath"] = EngineFixture.Options.CatalogPath!,
        ["MediaGateway:Engine:EmbeddingStorePath"] = EngineFixture.Options.EmbeddingStorePath!,
        ["MediaGateway:Engine:Backend"] = "Cpu",
        ["MediaGateway:Runner:BatchSize"] = "4",
        // A killed runner's messages come back after 2 s rather than 30.
        ["MediaGateway:Runner:VisibilityTimeout"] = "00:00:02",
        ["MediaGateway:Runner:HeartbeatInterval"] = "00:00:01",
        ["Logging:LogLevel:Default"] = "Information",
        // "Finished a batch": the first one is the moment to kill the first runner.
        ["Logging:LogLevel:MediaGateway.GpuRunner.QueueWorker"] = "Debug",
    };

    [Fact]
    public async Task A_runner_process_killed_mid_batch_leaves_every_job_succeeded_exactly_once_after_restart()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [StorageRegistration.ConnectionName] = azurite.ConnectionString,
            ["MediaGateway:Gateway:WaitForResult"] = "00:00:00", // answer 202 at once: the runner is not up yet
            ["MediaGateway:Gateway:RateLimits:Routes:Search:Burst"] = "1000",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddGateway(configuration);
        await using var gateway = services.BuildServiceProvider();
        var store = gateway.GetRequiredService<IResultStore>();
        // What the hosts' StorageInitializer does at start (this gateway is not a host).
        await gateway.GetRequiredService<AzureStorageJobQueue>().EnsureCreatedAsync();
        await gateway.GetRequiredService<AzureResultStore>().EnsureCreatedAsync();

        // Queue the work first, so the runner has a backlog of batches when it is killed.
        var queries = Enumerable.Range(0, Jobs).Select(i => $"killed runner {new[] { "western", "comedy", "space adventure", "horror" }[i % 4]} {i}").ToArray();
        var handles = new string[Jobs];
        for (var i = 0; i < Jobs; i++)
        {
            var request = HttpRequests.Post("/api/v1/search", $$"""{"query":"{{queries[i]}}","limit":5}""");
            var reply = await (await gateway.GetRequiredService<SearchFunctions>().Search(request, CancellationToken.None)).RunAsync(request);
            Assert.Equal(202, reply.Status);
            handles[i] = reply.Json.GetProperty("jobId").GetString()!;
        }

        // First runner: killed as soon as it says it finished a batch, i.e. while it works through the backlog. Its own
        // output, read as it comes, says so within milliseconds; polling the store for a succeeded job took long enough on
        // a loaded machine for the runner to finish all 160 jobs first.
        int doneAtKill;
        string firstOutput;
        await using (var first = RunnerProcess.Start(azurite.ConnectionString, RunnerSettings))
        {
            await first.WaitUntilReadyAsync(Generous);
            var deadline = DateTime.UtcNow + Generous;
            while (!first.Output.Contains("Finished a batch of ", StringComparison.Ordinal) && DateTime.UtcNow < deadline) await Task.Delay(2);
            first.Kill();
            firstOutput = first.Output;
        }
        var statuses = await Task.WhenAll(handles.Select(async h => (await store.GetJobAsync(h))!.Status));
        doneAtKill = statuses.Count(s => s == JobStatus.Succeeded);
        output.WriteLine($"At the kill: {doneAtKill} of {Jobs} succeeded, {statuses.Count(s => s == JobStatus.Running)} running (the batch in flight), {statuses.Count(s => s == JobStatus.Queued)} queued.");
        Assert.True(doneAtKill > 0, $"The first runner completed nothing before the wait ran out:\n{firstOutput}");
        Assert.True(doneAtKill < Jobs, "The first runner finished every job before it was killed: nothing was left to recover (make the backlog longer).");

        // Second runner: everything left (including the killed batch, whose messages reappear) completes.
        await using var second = RunnerProcess.Start(azurite.ConnectionString, RunnerSettings);
        await second.WaitUntilReadyAsync(Generous);
        var until = DateTime.UtcNow + Generous;
        foreach (var handle in handles)
            while ((await store.GetJobAsync(handle))!.Status != JobStatus.Succeeded && DateTime.UtcNow < until) await Task.Delay(100);

        var normalized = queries.Select(q => SearchRequestNormalizer.Normalize(new SearchRequest { Query = q, Limit = 5 })).ToArray();
        for (var i = 0; i < Jobs; i++)
        {
            var job = (await store.GetJobAsync(handles[i]))!;
            Assert.True(job.Status == JobStatus.Succeeded, $"job {i} is {job.Status} ({job.Error}); runner output:\n{second.Output}");
            var result = (await store.GetResultAsync(handles[i]))!;
            Assert.Equal(handles[i], result.JobId);
            var uninterrupted = (await reference.Engine.SearchAsync([new EngineQuery(handles[i], normalized[i])]))[0];
            Assert.Equal(uninterrupted.Results.Select(r => r.Id), result.Results.Select(r => r.Id));
        }

        // Exactly once: each result is inside its job's record, written by the conditional update that finished the
        // job (so no second result can exist; no result blob either, these results being small), and every message,
        // the killed batch's redeliveries included, is gone from the queue without reaching the poison queue.
        var blobs = new List<string>();
        await foreach (var blob in new BlobContainerClient(azurite.ConnectionString, StorageNames.ResultsContainer).GetBlobsAsync()) blobs.Add(blob.Name);
        Assert.Empty(blobs);
        var queue = new QueueClient(azurite.ConnectionString, StorageNames.SearchQueue);
        var drained = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0 && DateTime.UtcNow < drained) await Task.Delay(200);
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Equal(0, (await new QueueClient(azurite.ConnectionString, StorageNames.SearchPoisonQueue).GetPropertiesAsync()).Value.ApproximateMessagesCount);
        output.WriteLine($"After the restart: {System.Text.RegularExpressions.Regex.Count(second.Output, "finished already")} redelivered messages of finished jobs were dropped without a second result.");
        // The restarted runner loaded the catalog's vectors from the index snapshot the first one saved (issue 9).
        Assert.Contains("Loaded index snapshot catalog-", second.Output);
    }
}
