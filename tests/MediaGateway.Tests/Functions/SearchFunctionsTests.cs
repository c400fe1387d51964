using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MediaGateway.Contracts;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Contracts.Search;
using MediaGateway.Functions.Http;
using MediaGateway.Functions.Search;
using MediaGateway.Storage;
using MediaGateway.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace MediaGateway.Tests.Functions;

public sealed class SearchFunctionsTests
{
    private readonly InProcessJobQueue _queue = new();
    private readonly InProcessResultStore _store = new();

    private SearchFunctions Functions(TimeSpan? wait = null, IJobQueue? queue = null, IResultStore? store = null, TimeProvider? time = null) =>
        new(Gateway(wait, queue, store, time));

    private SearchGateway Gateway(TimeSpan? wait = null, IJobQueue? queue = null, IResultStore? store = null, TimeProvider? time = null) =>
        new(queue ?? _queue, store ?? _store, Options.Create(new GatewayOptions { WaitForResult = wait ?? TimeSpan.FromMilliseconds(200), PollInterval = TimeSpan.FromMilliseconds(10) }),
            time ?? TimeProvider.System, NullLogger<SearchGateway>.Instance);

    private async Task<Reply> PostAsync(string body, string? contentType = "application/json", SearchFunctions? functions = null)
    {
        var request = HttpRequests.Post("/api/v1/search", body, contentType);
        return await (await (functions ?? Functions()).Search(request, CancellationToken.None)).RunAsync(request);
    }

    private async Task<Reply> GetJobAsync(string id, SearchFunctions? functions = null)
    {
        var request = HttpRequests.Get($"/api/v1/jobs/{id}");
        return await (await (functions ?? Functions()).GetJob(request, id, CancellationToken.None)).RunAsync(request);
    }

    private async Task<SearchJobMessage[]> SentAsync() =>
        (await _queue.ReceiveAsync(32, TimeSpan.FromMinutes(1))).Select(m => JsonSerializer.Deserialize<SearchJobMessage>(m.Body, ContractJson.Options)!).ToArray();

    /// <summary>Plays the runner for one job: stores a result for it.</summary>
    private async Task CompleteAsync(string jobId, string title = "Alien")
    {
        await _store.TryUpdateJobAsync(jobId, j => j with { Status = JobStatus.Running });
        await _store.CompleteJobAsync(jobId, new SearchResponse { JobId = jobId, Query = "alien", Results = [new SearchHit { Id = "alien-1979", Title = title, MatchedFields = ["title"] }] }, DateTimeOffset.UtcNow);
    }

    [Theory]
    [InlineData("""{"query":""}""", "query")]
    [InlineData("""{"query":"x","limit":0}""", "limit")]
    [InlineData("""{"query":"x","limit":500}""", "limit")]
    [InlineData("""{"query":"x","filters":{"genre":["Horror"]}}""", "filters.genre")]
    [InlineData("""{"query":"x","filters":{"genres":["Hor\u0000ror"]}}""", "filters.genres[0]")]
    [InlineData("""{"query":"x","sort":"year"}""", "sort")]
    [InlineData("""{"query":"x","limit":"ten"}""", "limit")]
    [InlineData("""{"query": "x", """, "body")]
    [InlineData("""[1,2]""", "body")]
    [InlineData("""null""", "body")]
    [InlineData("", "body")]
    public async Task Invalid_requests_get_400_problem_json_naming_the_field_and_enqueue_nothing(string body, string field)
    {
        var reply = await PostAsync(body);

        Assert.Equal(400, reply.Status);
        Assert.StartsWith("application/problem+json", reply.ContentType);
        Assert.Equal(400, reply.Json.GetProperty("status").GetInt32());
        Assert.Contains(field, reply.ProblemFields);
        Assert.Equal(0, await _queue.GetApproximateLengthAsync());
    }

    [Fact]
    public async Task The_waiter_reads_every_poll_interval_while_answers_are_due_and_backs_off_after()
    {
        // Storage that cannot notify (Azure): each wait is recorded and moves the clock by its length.
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var waits = new List<double>();
        var store = new Mock<IResultStore>();
        store.Setup(s => s.GetJobWithResultAsync("job-1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => (new JobRecord { JobId = "job-1", Status = JobStatus.Running, CreatedAt = clock.Now, UpdatedAt = clock.Now }, null));
        store.Setup(s => s.WaitForJobAsync("job-1", It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .Callback((string _, TimeSpan wait, CancellationToken _) => { waits.Add(wait.TotalMilliseconds); clock.Advance(wait); })
            .Returns(Task.CompletedTask);
        var gateway = new SearchGateway(_queue, store.Object,
            Options.Create(new GatewayOptions { WaitForResult = TimeSpan.FromSeconds(1), PollInterval = TimeSpan.FromMilliseconds(10), PollBackoffAfter = TimeSpan.FromMilliseconds(150), MaxPollInterval = TimeSpan.FromMilliseconds(200) }),
            clock, NullLogger<SearchGateway>.Instance);

        var outcome = await gateway.FollowAsync("job-1", TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.IsType<SearchOutcome.Pending>(outcome);
        // An answer due in the first 150 ms is noticed within 10 ms of it; after that, 15, 22.5, … up to 200 ms.
        Assert.All(waits.Take(16), w => Assert.Equal(10, w));
        Assert.True(waits[16] > 10 && waits.Max() <= 200, string.Join(", ", waits));
        Assert.True(waits.Count < 30, $"{waits.Count} reads in one second");
    }

    [Theory]
    [InlineData(10, 1, 400, 10)]     // one waiter: its own interval
    [InlineData(10, 4, 400, 10)]     // 4 × 100 reads/s fits the budget
    [InlineData(10, 16, 400, 40)]    // 16 waiters share 400 reads/s: each reads every 40 ms
    [InlineData(200, 16, 400, 200)]  // already slower than the budget asks
    [InlineData(10, 16, 0, 10)]      // no budget
    public void Waiters_share_the_read_budget(double backoffMs, int waiting, double readsPerSecond, double expectedMs) =>
        Assert.Equal(expectedMs, SearchGateway.ReadInterval(TimeSpan.FromMilliseconds(backoffMs), waiting, readsPerSecond).TotalMilliseconds, 6);

    [Fact]
    public async Task A_one_megabyte_body_gets_413_problem_json()
    {
        var reply = await PostAsync($$"""{"query":"{{new string('a', 1024 * 1024)}}"}""");

        Assert.Equal(413, reply.Status);
        Assert.StartsWith("application/problem+json", reply.ContentType);
        Assert.Equal(["body"], reply.ProblemFields);
    }

    [Fact]
    public async Task A_non_json_content_type_gets_415()
    {
        var reply = await PostAsync("query=x", "application/x-www-form-urlencoded");
        Assert.Equal(415, reply.Status);
        Assert.StartsWith("application/problem+json", reply.ContentType);
    }

    [Fact]
    public async Task A_new_request_is_enqueued_and_answered_202_with_location_when_no_result_arrives()
    {
        var reply = await PostAsync("""{"query":"  Alien ","limit":5}""");

        Assert.Equal(202, reply.Status);
        var sent = Assert.Single(await SentAsync());
        Assert.Equal("alien", sent.Request.Query);
        Assert.Equal($"/api/v1/jobs/{sent.JobId}", reply.Headers["Location"]);
        Assert.True(int.Parse(reply.Headers["Retry-After"]) >= 1);
        Assert.Equal(sent.JobId, reply.Json.GetProperty("jobId").GetString());
        Assert.Equal(JobStatus.Queued, (await _store.GetJobAsync(sent.JobId))!.Status);
    }

    [Fact]
    public async Task The_job_handle_is_random_and_cannot_be_computed_from_the_request()
    {
        var first = await PostAsync("""{"query":"alien"}""");
        var handle = first.Json.GetProperty("jobId").GetString()!;
        var normalized = SearchRequestNormalizer.Normalize(new SearchRequest { Query = "alien" });
        var cacheKey = SearchRequestNormalizer.CacheKeyFor(normalized);
        var oldStyleId = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(normalized, ContractJson.Options)))[..32];

        Assert.Matches("^[0-9a-f]{32}$", handle);
        Assert.NotEqual(oldStyleId, handle);
        Assert.DoesNotContain(handle, cacheKey);
        Assert.Equal(404, (await GetJobAsync(oldStyleId)).Status);
        Assert.Equal(404, (await GetJobAsync(cacheKey[..64])).Status);
        Assert.DoesNotContain(cacheKey, (await GetJobAsync(handle)).Text);

        // Another store, another gateway: the same request gets another handle.
        var other = new InProcessResultStore();
        var again = await PostAsync("""{"query":"alien"}""", functions: Functions(store: other, queue: new InProcessJobQueue()));
        Assert.NotEqual(handle, again.Json.GetProperty("jobId").GetString());
    }

    [Fact]
    public async Task Fifty_identical_concurrent_new_searches_start_one_job()
    {
        var gateway = Gateway(wait: TimeSpan.FromMilliseconds(300));
        var functions = new SearchFunctions(gateway);
        using var start = new ManualResetEventSlim();
        var requests = Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await PostAsync("""{"query":"storm","limit":4}""", functions: functions);
        })).ToArray();
        start.Set();
        var replies = await Task.WhenAll(requests);

        var sent = Assert.Single(await SentAsync());
        Assert.All(replies, r => Assert.Equal(sent.JobId, r.Json.GetProperty("jobId").GetString()));
    }

    [Fact]
    public async Task A_waiting_search_is_answered_as_soon_as_its_result_is_stored()
    {
        var search = PostAsync("""{"query":"alien"}""", functions: Functions(wait: TimeSpan.FromSeconds(30)));
        SearchJobMessage[] sent;
        while ((sent = await SentAsync()).Length == 0) await Task.Delay(5);
        await CompleteAsync(sent[0].JobId);

        var reply = await search.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(200, reply.Status);
        Assert.Equal("Alien", reply.Json.GetProperty("results")[0].GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_recent_stored_result_is_served_from_cache_without_enqueueing()
    {
        var first = await PostAsync("""{"query":"alien"}""");
        var handle = first.Json.GetProperty("jobId").GetString()!;
        await SentAsync();
        await CompleteAsync(handle);

        var reply = await PostAsync("""{"query":"Alien"}""", functions: Functions());

        Assert.Equal(200, reply.Status);
        Assert.True(reply.Json.GetProperty("cached").GetBoolean());
        Assert.Equal("Alien", reply.Json.GetProperty("results")[0].GetProperty("title").GetString());
        Assert.Empty(await SentAsync());
    }

    [Fact]
    public async Task A_job_already_in_flight_is_not_enqueued_twice()
    {
        await PostAsync("""{"query":"alien"}""");
        var reply = await PostAsync("""{"query":"alien"}""");

        Assert.Equal(202, reply.Status);
        Assert.Single(await SentAsync());
    }

    [Fact]
    public async Task A_failed_job_is_reported_as_problem_json()
    {
        var gateway = Gateway(wait: TimeSpan.FromSeconds(30));
        var search = PostAsync("""{"query":"alien"}""", functions: new SearchFunctions(gateway));
        SearchJobMessage[] sent;
        while ((sent = await SentAsync()).Length == 0) await Task.Delay(5);
        await _store.TryUpdateJobAsync(sent[0].JobId, j => j with { Status = JobStatus.Failed, Error = "model crashed" });

        var reply = await search.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(502, reply.Status);
        Assert.StartsWith("application/problem+json", reply.ContentType);
        Assert.Contains("model crashed", reply.Json.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("""{"query":"x","limit":"5"}""", "limit", "a whole number (a JSON number within the field's range)")]
    [InlineData("""{"query":"x","limit":100000000000}""", "limit", "a whole number (a JSON number within the field's range)")]
    [InlineData("""{"query":5}""", "query", "a string")]
    [InlineData("""{"query":"x","filters":{"genres":"Horror"}}""", "filters.genres", "a list")]
    [InlineData("""{"query":"x","filters":{"minRating":"high"}}""", "filters.minRating", "a number")]
    [InlineData("""{"query":"x","filters":[]}""", "filters", "an object")]
    [InlineData("""{"query":"x","filters":{"yearRange":1990}}""", "filters.yearRange", "a list")]
    public async Task A_value_of_the_wrong_type_is_named_with_the_type_expected(string body, string field, string expected)
    {
        var reply = await PostAsync(body);

        Assert.Equal(400, reply.Status);
        var error = Assert.Single(reply.Json.GetProperty("errors").EnumerateArray());
        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.Equal($"has the wrong type: {expected} is expected.", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_polled_answer_naming_what_the_catalog_lacks_reads_as_failed_with_the_fields_named()
    {
        var pending = await PostAsync("""{"query":"alien","filters":{"genres":["Horor"]}}""", functions: Functions(wait: TimeSpan.Zero));
        var jobId = pending.Json.GetProperty("jobId").GetString()!;
        await _store.TryUpdateJobAsync(jobId, j => j with { Status = JobStatus.Running });
        await _store.CompleteJobAsync(jobId, new SearchResponse
        {
            JobId = jobId, Query = "alien", Results = [], Unknown = [new UnknownReference("filters.genres", "horor", ["Comedy", "Horror"])],
        }, DateTimeOffset.UtcNow);

        var reply = await GetJobAsync(jobId);

        Assert.Equal(200, reply.Status);
        Assert.Equal("failed", reply.Json.GetProperty("status").GetString());
        Assert.Equal("filters.genres: no catalog item has the genre 'horor'; the catalog's are: Comedy, Horror.", reply.Json.GetProperty("error").GetString());
        Assert.False(reply.Json.TryGetProperty("result", out _));
    }

    [Theory]
    [InlineData("/api/v1/media/alien-1979", "", "/api/v1/media/alien-1979")]
    [InlineData("/api/v1/media/alien-1979/similar", "?limit=3", "/api/v1/media/alien-1979/similar?limit=3")]
    [InlineData("/api/v1/concepts", "?q=horror", "/api/v1/concepts?q=horror")]
    public async Task A_slow_discovery_get_is_asked_again_at_its_own_url_so_its_answer_keeps_the_routes_shape(string path, string query, string location)
    {
        var discovery = new DiscoveryFunctions(Gateway(wait: TimeSpan.Zero));
        var request = HttpRequests.Get(path);
        request.QueryString = new QueryString(query.Length == 0 ? null : query);
        var result = path switch
        {
            "/api/v1/concepts" => await discovery.Concepts(request, CancellationToken.None),
            var p when p.EndsWith("/similar", StringComparison.Ordinal) => await discovery.SimilarMedia(request, "alien-1979", CancellationToken.None),
            _ => await discovery.GetMedia(request, "alien-1979", CancellationToken.None),
        };
        var reply = await result.RunAsync(request);

        Assert.Equal(202, reply.Status);
        Assert.Equal(location, reply.Headers["Location"]);
        Assert.True(int.Parse(reply.Headers["Retry-After"]) >= 1);
    }

    [Theory]
    [InlineData("has space", 400)]
    [InlineData("abc\n", 400)]
    [InlineData("0123456789abcdef0123456789abcdef", 404)]
    public async Task Job_lookups_validate_the_id_and_report_unknown_jobs(string id, int status)
    {
        var reply = await GetJobAsync(id);

        Assert.Equal(status, reply.Status);
        Assert.StartsWith("application/problem+json", reply.ContentType);
        // The 404 names the field as a 400 does, like every other problem with a field to blame.
        Assert.Equal("id", Assert.Single(reply.Json.GetProperty("errors").EnumerateArray()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Jobs_expire_after_the_retention_period()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var store = new InProcessResultStore(new InProcessStoreOptions { Retention = TimeSpan.FromDays(7) }, clock);
        var functions = Functions(store: store, time: clock, wait: TimeSpan.Zero);
        var handle = (await PostAsync("""{"query":"alien"}""", functions: functions)).Json.GetProperty("jobId").GetString()!;
        Assert.Equal(200, (await GetJobAsync(handle, functions)).Status);

        clock.Advance(new GatewayOptions().JobRetention + TimeSpan.FromMinutes(1));

        Assert.Equal(404, (await GetJobAsync(handle, functions)).Status);
    }

    [Fact]
    public async Task When_the_queue_refuses_a_job_it_is_marked_failed_so_repeats_are_not_left_waiting()
    {
        var queue = new Mock<IJobQueue>();
        queue.Setup(q => q.SendAsync(It.IsAny<SearchJobMessage>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new Azure.RequestFailedException(503, "queue down"));
        var request = HttpRequests.Post("/api/v1/search", """{"query":"alien"}""");

        var error = await Assert.ThrowsAsync<Azure.RequestFailedException>(() => Functions(queue: queue.Object).Search(request, CancellationToken.None));

        var cacheKey = SearchRequestNormalizer.CacheKeyFor(SearchRequestNormalizer.Normalize(new SearchRequest { Query = "alien" }));
        var job = await _store.GetJobAsync((await _store.GetJobIdForCacheKeyAsync(cacheKey))!);
        Assert.Equal(JobStatus.Failed, job!.Status);
        Assert.Contains("queue is unavailable", job.Error);
        var reply = await ProblemMiddleware.For(error, "corr-1", "/api/v1/search").RunAsync(request);
        Assert.Equal(503, reply.Status);
        Assert.StartsWith("application/problem+json", reply.ContentType);
        Assert.Equal("5", reply.Headers["Retry-After"]);
    }

    [Fact]
    public async Task With_every_runner_silent_past_the_heartbeat_timeout_a_search_is_answered_202_at_once_not_after_the_whole_wait()
    {
        await _store.PutRunnerStatusAsync(new RunnerStatus { Instance = "runner-1", Backend = "cpu", Ready = true, LastSeen = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(1) });
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var reply = await PostAsync("""{"query":"alien"}""", functions: Functions(wait: TimeSpan.FromSeconds(30)));

        Assert.Equal(202, reply.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"held {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Single(await SentAsync());   // the job still waits in the queue for a runner
    }

    [Fact]
    public async Task With_a_runner_heard_from_lately_a_search_still_waits_for_its_answer()
    {
        await _store.PutRunnerStatusAsync(new RunnerStatus { Instance = "runner-1", Backend = "cpu", Ready = true, LastSeen = DateTimeOffset.UtcNow });
        var search = PostAsync("""{"query":"alien"}""", functions: Functions(wait: TimeSpan.FromSeconds(30)));
        SearchJobMessage[] sent;
        while ((sent = await SentAsync()).Length == 0) await Task.Delay(5);
        await CompleteAsync(sent[0].JobId);

        Assert.Equal(200, (await search.WaitAsync(TimeSpan.FromSeconds(10))).Status);
    }

    [Fact]
    public async Task A_send_cancelled_by_a_stopping_gateway_marks_its_job_failed_so_a_retry_starts_a_new_one()
    {
        // The host stops (SIGTERM) while the message is being written: the job must not look in flight with nothing behind it.
        var queue = new Mock<IJobQueue>();
        queue.Setup(q => q.SendAsync(It.IsAny<SearchJobMessage>(), It.IsAny<CancellationToken>())).ThrowsAsync(new OperationCanceledException());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Functions(queue: queue.Object).Search(HttpRequests.Post("/api/v1/search", """{"query":"alien"}"""), CancellationToken.None));

        var cacheKey = SearchRequestNormalizer.CacheKeyFor(SearchRequestNormalizer.Normalize(new SearchRequest { Query = "alien" }));
        var stopped = (await _store.GetJobIdForCacheKeyAsync(cacheKey))!;
        Assert.Equal(JobStatus.Failed, (await _store.GetJobAsync(stopped))!.Status);

        // The same request again (a batch's next attempt) starts and enqueues a job of its own.
        var reply = await PostAsync("""{"query":"alien"}""");
        Assert.Equal(202, reply.Status);
        Assert.NotEqual(stopped, Assert.Single(await SentAsync()).JobId);
    }

    [Fact]
    public async Task Storage_retries_that_give_up_are_a_503_with_retry_after_not_a_500()
    {
        var spent = new AggregateException("Retry failed after 3 tries.",
            new Azure.RequestFailedException("Connection refused", new HttpRequestException("Connection refused")),
            new Azure.RequestFailedException("Connection refused"));
        var request = HttpRequests.Get("/api/v1/jobs/x");

        var reply = await ProblemMiddleware.For(spent, "corr-7", "/api/v1/jobs/x").RunAsync(request);

        Assert.Equal(503, reply.Status);
        Assert.Equal("5", reply.Headers["Retry-After"]);
    }

    [Fact]
    public async Task An_unexpected_failure_is_a_500_problem_with_a_correlation_id()
    {
        var request = HttpRequests.Get("/api/v1/search");
        var reply = await ProblemMiddleware.For(new NullReferenceException(), "corr-42", "/api/v1/search").RunAsync(request);

        Assert.Equal(500, reply.Status);
        Assert.StartsWith("application/problem+json", reply.ContentType);
        Assert.Contains("corr-42", reply.Json.GetProperty("detail").GetString());
    }

    [Fact]
    public void The_functions_app_does_not_depend_on_the_engine_or_onnx_runtime()
    {
        var references = typeof(MediaGateway.Functions.GatewayRegistration).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToArray();

        Assert.Contains("MediaGateway.Contracts", references);
        Assert.DoesNotContain(references, name => name!.StartsWith("MediaGateway.Engine") || name.StartsWith("Microsoft.ML"));
    }

    [Fact]
    public void The_contracts_and_the_engine_do_not_depend_on_the_azure_sdk()
    {
        foreach (var assembly in new[] { typeof(SearchRequest).Assembly, typeof(MediaGateway.Engine.Pipeline.SearchEngine).Assembly })
            Assert.DoesNotContain(assembly.GetReferencedAssemblies(), a => a.Name!.StartsWith("Azure"));
    }
}
