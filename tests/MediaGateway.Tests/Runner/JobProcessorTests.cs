using System.Text.Json;
using MediaGateway.Contracts;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Pipeline;
using MediaGateway.GpuRunner;
using MediaGateway.Storage;
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

    private async Task ProcessAvailableAsync(JobProcessor processor, JobProcessor.BatchSearch? search = null)
    {
        var messages = await _queue.ReceiveAsync(32, TimeSpan.FromMinutes(1));
        await processor.ProcessAsync(search ?? fixture.Engine.SearchAsync, messages, CancellationToken.None);
    }

    private Task<SearchJobMessage> StartAsync(string query) => Jobs.StartAsync(_store, _queue, query);

    private PoisonEnvelope[] Poisoned => _queue.PoisonMessages.Select(m => JsonSerializer.Deserialize<PoisonEnvelope>(m, ContractJson.Options)!).ToArray();

    [Fact]
    public async Task A_batch_of_valid_jobs_is_answered_and_its_messages_deleted()
    {
        var a = await StartAsync("star wars");
        var b = await StartAsync("toy story");

        await ProcessAvailableAsync(Processor());

        Assert.Equal(0, await _queue.GetApproximateLengthAsync());
        Assert.Equal(JobStatus.Succeeded, (await _store.GetJobAsync(a.JobId))!.Status);
        Assert.StartsWith("Star Wars", (await _store.GetResultAsync(a.JobId))!.Results[0].Title);
        Assert.Equal(2, (await _store.GetResultAsync(b.JobId))!.TimingsMs!.BatchSize);
        // The time from the gateway's enqueue to the engine's start, for the serving benchmark's breakdown.
        Assert.InRange((await _store.GetResultAsync(b.JobId))!.TimingsMs!.Queue!.Value, 0, 60_000);
    }

    [Fact]
    public async Task A_batchs_jobs_are_admitted_and_completed_together_not_one_storage_round_trip_after_another()
    {
        var jobs = new List<SearchJobMessage>();
        foreach (var q in new[] { "star wars", "toy story", "alien", "heat" }) jobs.Add(await StartAsync(q));
        var (store, probe) = ConcurrencyProbe<IResultStore>.Wrap(_store, TimeSpan.FromMilliseconds(50), nameof(IResultStore.TryUpdateJobAsync), nameof(IResultStore.CompleteJobAsync));
        var processor = new JobProcessor(_queue, store, Options.Create(new RunnerOptions()), TimeProvider.System, NullLogger<JobProcessor>.Instance);

        await ProcessAvailableAsync(processor);

        Assert.All(jobs, j => Assert.Equal(JobStatus.Succeeded, _store.GetJobAsync(j.JobId).Result!.Status));
        Assert.Equal(jobs.Count, probe.MaxInFlight);
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("""{"jobId":"x1"}""")]
    [InlineData("""{"schemaVersion":99,"jobId":"x1","cacheKey":"00","request":{"query":"a"}}""")]
    [InlineData("""{"jobId":"x1","cacheKey":"00","request":{"query":""}}""")]
    [InlineData("""{"jobId":"x1","cacheKey":"00","request":{"query":"a","limit":1000}}""")]
    [InlineData("""{"jobId":"../../etc","cacheKey":"00","request":{"query":"a"}}""")]
    [InlineData("""{"jobId":"x1\n","cacheKey":"00","request":{"query":"a"}}""")]
    [InlineData("""{"jobId":"x1","cacheKey":"00","request":{"query":"a","filters":{"genres":["dra\u0000ma"]}}}""")]
    public async Task A_malformed_message_goes_to_the_poison_queue_and_valid_ones_still_run(string body)
    {
        await _queue.SendRawAsync(body);
        var good = await StartAsync("alien");

        await ProcessAvailableAsync(Processor());

        var poisoned = Assert.Single(Poisoned);
        Assert.Equal(body, poisoned.Body);
        Assert.StartsWith("Malformed job message", poisoned.Reason);
        Assert.Equal(0, await _queue.GetApproximateLengthAsync());
        Assert.Equal(JobStatus.Succeeded, (await _store.GetJobAsync(good.JobId))!.Status);
    }

    [Fact]
    public async Task A_poisoned_message_naming_a_queued_job_marks_it_failed_with_the_reason()
    {
        var job = Jobs.Message("a");
        await Jobs.CreateAsync(_store, Jobs.Record(job));
        await _queue.SendRawAsync(JsonSerializer.Serialize(job with { Request = job.Request with { Limit = 1000 } }, ContractJson.Options));

        await ProcessAvailableAsync(Processor());

        var record = await _store.GetJobAsync(job.JobId);
        Assert.Equal(JobStatus.Failed, record!.Status);
        Assert.Contains("request.limit", record.Error);
    }

    [Fact]
    public async Task A_message_that_keeps_failing_is_poisoned_after_the_maximum_attempts()
    {
        var job = await StartAsync("alien");
        // Receive it (and let its lease lapse) as often as a crashing runner would.
        for (var i = 0; i < 2; i++) await _queue.ReceiveAsync(1, TimeSpan.Zero);

        await ProcessAvailableAsync(Processor(maxDequeueCount: 2));

        Assert.Equal(JsonSerializer.Serialize(job, ContractJson.Options), Assert.Single(Poisoned).Body);
        Assert.Equal(JobStatus.Failed, (await _store.GetJobAsync(job.JobId))!.Status);
    }

    [Fact]
    public async Task A_batch_running_longer_than_its_lease_keeps_its_messages_and_runs_once()
    {
        // A 1.5 s lease and a batch of 4.5 s (three leases): without renewal, a second runner takes the message after 1.5 s.
        // (Renewals come every 0.5 s, so one delayed by a loaded machine by up to a second still lands in time.)
        var lease = TimeSpan.FromMilliseconds(1_500);
        var job = await StartAsync("alien");
        var processor = new JobProcessor(_queue, _store, Options.Create(new RunnerOptions { VisibilityTimeout = lease }), TimeProvider.System, NullLogger<JobProcessor>.Instance);
        var searches = 0;
        JobProcessor.BatchSearch slow = async (batch, token) =>
        {
            Interlocked.Increment(ref searches);
            await Task.Delay(TimeSpan.FromMilliseconds(4_500), token);
            return await fixture.Engine.SearchAsync(batch, token);
        };

        var messages = await _queue.ReceiveAsync(32, lease);
        var running = processor.ProcessAsync(slow, messages, CancellationToken.None);
        var takenByAnother = 0;
        while (!running.IsCompleted)
        {
            takenByAnother += (await _queue.ReceiveAsync(32, lease)).Count;
            await Task.WhenAny(running, Task.Delay(50));
        }
        await running;

        Assert.Equal(0, takenByAnother);
        Assert.Equal(1, searches);
        Assert.Equal(JobStatus.Succeeded, (await _store.GetJobAsync(job.JobId))!.Status);
        Assert.Equal(0, await _queue.GetApproximateLengthAsync());
    }

    [Fact]
    public async Task The_lease_of_a_runner_that_stops_renewing_runs_out_and_the_message_comes_back()
    {
        var lease = TimeSpan.FromMilliseconds(300);
        await StartAsync("alien");
        var messages = await _queue.ReceiveAsync(32, lease);
        var keeper = LeaseKeeper.Start(_queue, messages, lease, TimeProvider.System, NullLogger.Instance);
        await Task.Delay(TimeSpan.FromMilliseconds(700));
        Assert.Empty(await _queue.ReceiveAsync(32, lease)); // renewed: still held
        Assert.True(keeper.Renewals >= 1);

        await keeper.DisposeAsync(); // the runner dies: no more renewals
        await Task.Delay(TimeSpan.FromMilliseconds(400));
        var back = Assert.Single(await _queue.ReceiveAsync(32, lease));
        Assert.Equal(2, back.DequeueCount);
        // The receipt the dead runner held last is void: it can no longer delete what another runner now holds.
        await Assert.ThrowsAsync<InvalidOperationException>(() => _queue.DeleteAsync(messages[0]));
    }

    [Fact]
    public async Task A_redelivered_message_of_a_succeeded_job_neither_runs_it_again_nor_overwrites_it()
    {
        var job = await StartAsync("alien");
        await ProcessAvailableAsync(Processor());
        var first = await _store.GetResultAsync(job.JobId);
        var searches = 0;

        // The runner died after writing the result but before deleting the message: it comes back.
        await _queue.SendAsync(job);
        await ProcessAvailableAsync(Processor(), (batch, ct) => { searches++; return fixture.Engine.SearchAsync(batch, ct); });

        Assert.Equal(0, searches);
        Assert.Equal(0, await _queue.GetApproximateLengthAsync());
        Assert.Empty(_queue.PoisonMessages);
        Assert.Equal(JobStatus.Succeeded, (await _store.GetJobAsync(job.JobId))!.Status);
        Assert.Equal(first!.CompletedAt, (await _store.GetResultAsync(job.JobId))!.CompletedAt);
    }

    [Fact]
    public async Task A_malformed_message_carrying_the_id_of_a_succeeded_job_leaves_that_job_alone()
    {
        var job = await StartAsync("alien");
        await ProcessAvailableAsync(Processor());

        await _queue.SendRawAsync($$$"""{"jobId":"{{{job.JobId}}}","request":{"query":""}}""");
        await ProcessAvailableAsync(Processor());

        Assert.Single(_queue.PoisonMessages);
        var record = await _store.GetJobAsync(job.JobId);
        Assert.Equal(JobStatus.Succeeded, record!.Status);
        Assert.Null(record.Error);
        Assert.NotNull(await _store.GetResultAsync(job.JobId));
    }

    [Fact]
    public async Task A_message_whose_request_is_not_its_jobs_request_is_rejected_and_cannot_poison_the_cache()
    {
        var starWars = Jobs.Message("star wars");
        await Jobs.CreateAsync(_store, Jobs.Record(starWars));
        var horror = Jobs.Message("horror", jobId: starWars.JobId);
        // Both the honest key of the horror request, and the star wars key with the horror request.
        await _queue.SendAsync(horror);
        await _queue.SendAsync(horror with { CacheKey = starWars.CacheKey });

        await ProcessAvailableAsync(Processor());

        Assert.Equal(2, Poisoned.Length);
        Assert.Equal(JobStatus.Queued, (await _store.GetJobAsync(starWars.JobId))!.Status);
        Assert.Null(await _store.GetResultAsync(starWars.JobId));

        await _queue.SendAsync(starWars);
        await ProcessAvailableAsync(Processor());
        Assert.StartsWith("Star Wars", (await _store.GetResultAsync(starWars.JobId))!.Results[0].Title);
    }

    [Fact]
    public async Task A_query_that_fails_in_a_batch_fails_alone_with_a_message_for_its_caller_and_its_batchmates_complete()
    {
        var normal = new[] { await StartAsync("star wars"), await StartAsync("toy story") };
        var bad = await StartAsync("boom");
        var last = await StartAsync("alien");
        Task<IReadOnlyList<SearchResponse>> Search(IReadOnlyList<EngineQuery> batch, CancellationToken ct) =>
            batch.Any(q => q.Request.Query == "boom") ? throw new FormatException("attacker-controlled text") : fixture.Engine.SearchAsync(batch, ct);

        await ProcessAvailableAsync(Processor(), Search);

        foreach (var job in normal.Append(last))
            Assert.Equal(JobStatus.Succeeded, (await _store.GetJobAsync(job.JobId))!.Status);
        var failed = await _store.GetJobAsync(bad.JobId);
        Assert.Equal(JobStatus.Failed, failed!.Status);
        Assert.Contains("could not be searched", failed.Error);
        Assert.DoesNotContain("attacker", failed.Error);
        Assert.Single(_queue.PoisonMessages);
        Assert.Equal(0, await _queue.GetApproximateLengthAsync());
    }

    [Fact]
    public async Task The_unicode_digit_query_mixed_into_a_batch_with_three_normal_queries_cannot_fail_them()
    {
        var normal = new[] { await StartAsync("star wars"), await StartAsync("toy story"), await StartAsync("alien") };
        var unicode = await StartAsync("drama under ٩ hours");

        await ProcessAvailableAsync(Processor());

        foreach (var job in normal)
            Assert.Equal(JobStatus.Succeeded, (await _store.GetJobAsync(job.JobId))!.Status);
        // Failed alone (while the engine throws on it) or answered (once it no longer does); never left waiting.
        Assert.True((await _store.GetJobAsync(unicode.JobId))!.Status.IsFinished());
        Assert.Equal(0, await _queue.GetApproximateLengthAsync());
    }

    [Fact]
    public async Task When_every_query_of_a_batch_fails_the_messages_are_left_to_be_retried()
    {
        var a = await StartAsync("star wars");
        var b = await StartAsync("alien");

        await ProcessAvailableAsync(Processor(), (_, _) => throw new InvalidOperationException("device lost"));

        Assert.Empty(_queue.PoisonMessages);
        Assert.Equal(2, await _queue.GetApproximateLengthAsync());
        foreach (var job in new[] { a, b })
        {
            var record = await _store.GetJobAsync(job.JobId);
            Assert.Equal(JobStatus.Queued, record!.Status);
            Assert.Contains("will be retried", record.Error);
        }
    }

    [Fact]
    public async Task A_lone_query_that_fails_while_the_engine_answers_others_fails_alone_at_once()
    {
        // A query whose batchmates happened to be received apart from it: alone, its failure is all there is to go on,
        // and an engine that has just answered another search is not what is broken.
        var processor = Processor();
        await StartAsync("star wars");
        await ProcessAvailableAsync(processor);
        var bad = await StartAsync("boom");

        await ProcessAvailableAsync(processor, (batch, ct) =>
            batch.Any(q => q.Request.Query == "boom") ? throw new FormatException("fails on this query") : fixture.Engine.SearchAsync(batch, ct));

        var failed = await _store.GetJobAsync(bad.JobId);
        Assert.Equal(JobStatus.Failed, failed!.Status);
        Assert.Contains("could not be searched", failed.Error);
        Assert.Single(_queue.PoisonMessages);
        Assert.Equal(0, await _queue.GetApproximateLengthAsync());
    }

    [Fact]
    public async Task A_lone_query_that_fails_on_an_engine_that_has_answered_nothing_yet_is_left_to_be_retried()
    {
        var job = await StartAsync("star wars");

        await ProcessAvailableAsync(Processor(), (_, _) => throw new InvalidOperationException("device lost"));

        Assert.Empty(_queue.PoisonMessages);
        Assert.Equal(1, await _queue.GetApproximateLengthAsync());
        Assert.Equal(JobStatus.Queued, (await _store.GetJobAsync(job.JobId))!.Status);
    }

    [Fact]
    public async Task Text_from_a_message_is_escaped_before_it_is_stored_as_a_jobs_error()
    {
        var job = Jobs.Message("a");
        await Jobs.CreateAsync(_store, Jobs.Record(job));
        await _queue.SendRawAsync($$"""{"jobId":"{{job.JobId}}","cacheKey":"{{job.CacheKey}}","request":{"query":"a"},"evil\nINFO forged log line":1}""");

        await ProcessAvailableAsync(Processor());

        var record = await _store.GetJobAsync(job.JobId);
        Assert.Equal(JobStatus.Failed, record!.Status);
        Assert.DoesNotContain('\n', record.Error!);
        Assert.Contains("evil\\u000aINFO", record.Error);
        Assert.DoesNotContain('\n', Assert.Single(Poisoned).Reason);
    }

    [Fact]
    public async Task An_oversize_message_is_poisoned_as_a_bounded_envelope()
    {
        var body = new string('x', 60_000);
        await _queue.SendRawAsync(body);

        await ProcessAvailableAsync(Processor());

        var envelope = Assert.Single(_queue.PoisonMessages);
        Assert.True(envelope.Length < 16 * 1024, $"envelope of {envelope.Length} chars");
        var parsed = JsonSerializer.Deserialize<PoisonEnvelope>(envelope, ContractJson.Options)!;
        Assert.True(parsed.BodyTruncated);
        Assert.Equal(60_000, parsed.BodyLength);
    }
}
