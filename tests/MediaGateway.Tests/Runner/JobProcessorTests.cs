using System.Text.Json;
using MediaGateway.Contracts;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Contracts.Search;
using MediaGateway.Contracts.Storage;
using MediaGateway.GpuRunner;
using MediaGateway.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MediaGateway.Tests.Runner;

[Collection(EngineCollection.Name)]
public sealed class JobProcessorTests(EngineFixture fixture)
{
    private readonly InProcessJobQueue _queue = new();
    private readonly InProcessResultStore _store = new();

    private JobProcessor Processor(int maxDequeueCount = 5) =>
        new(_queue, _store, Options.Create(new RunnerOptions { MaxDequeueCount = maxDequeueCount }), TimeProvider.System, NullLogger<JobProcessor>.Instance);

    private async Task ProcessAvailableAsync(JobProcessor processor)
    {
        var messages = await _queue.ReceiveAsync(32, TimeSpan.FromMinutes(1));
        await processor.ProcessAsync(fixture.Engine, messages, CancellationToken.None);
    }

    private static SearchJobMessage Job(string id, string query) =>
        new() { JobId = id, Request = new SearchRequest { Query = query, Limit = 3 }, EnqueuedAt = DateTimeOffset.UtcNow };

    [Fact]
    public async Task A_batch_of_valid_jobs_is_answered_and_its_messages_deleted()
    {
        await _queue.SendAsync(Job("job-a", "star wars"));
        await _queue.SendAsync(Job("job-b", "toy story"));

        await ProcessAvailableAsync(Processor());

        Assert.Equal(0, await _queue.GetApproximateLengthAsync());
        Assert.Equal(JobStatus.Succeeded, (await _store.GetJobAsync("job-a"))!.Status);
        Assert.StartsWith("Star Wars", (await _store.GetResultAsync("job-a"))!.Results[0].Title);
        Assert.Equal(2, (await _store.GetResultAsync("job-b"))!.TimingsMs!.BatchSize);
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("""{"jobId":"x1"}""")]
    [InlineData("""{"schemaVersion":99,"jobId":"x1","request":{"query":"a"}}""")]
    [InlineData("""{"jobId":"x1","request":{"query":""}}""")]
    [InlineData("""{"jobId":"x1","request":{"query":"a","limit":1000}}""")]
    [InlineData("""{"jobId":"../../etc","request":{"query":"a"}}""")]
    public async Task A_malformed_message_goes_to_the_poison_queue_and_valid_ones_still_run(string body)
    {
        await _queue.SendRawAsync(body);
        await _queue.SendAsync(Job("good", "alien"));

        await ProcessAvailableAsync(Processor());

        Assert.Equal([body], _queue.PoisonMessages);
        Assert.Equal(0, await _queue.GetApproximateLengthAsync());
        Assert.Equal(JobStatus.Succeeded, (await _store.GetJobAsync("good"))!.Status);
    }

    [Fact]
    public async Task A_poisoned_message_with_a_readable_job_id_marks_its_job_failed_with_the_reason()
    {
        await _queue.SendRawAsync("""{"jobId":"bad-limit","request":{"query":"a","limit":1000}}""");

        await ProcessAvailableAsync(Processor());

        var job = await _store.GetJobAsync("bad-limit");
        Assert.Equal(JobStatus.Failed, job!.Status);
        Assert.Contains("request.limit", job.Error);
    }

    [Fact]
    public async Task A_message_that_keeps_failing_is_poisoned_after_the_maximum_attempts()
    {
        var body = JsonSerializer.Serialize(Job("retried", "alien"), ContractJson.Options);
        await _queue.SendRawAsync(body);
        // Receive it (and let its lease lapse) as often as a crashing runner would.
        for (var i = 0; i < 2; i++) await _queue.ReceiveAsync(1, TimeSpan.Zero);

        await ProcessAvailableAsync(Processor(maxDequeueCount: 2));

        Assert.Equal([body], _queue.PoisonMessages);
        Assert.Equal(JobStatus.Failed, (await _store.GetJobAsync("retried"))!.Status);
    }
}
