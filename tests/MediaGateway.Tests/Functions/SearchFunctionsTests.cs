using MediaGateway.Contracts.Jobs;
using MediaGateway.Contracts.Search;
using MediaGateway.Functions.Http;
using MediaGateway.Functions.Search;
using MediaGateway.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace MediaGateway.Tests.Functions;

public sealed class SearchFunctionsTests
{
    private readonly Mock<IJobQueue> _queue = new();
    private readonly Mock<IResultStore> _store = new();

    private SearchFunctions Functions(TimeSpan? wait = null) => new(new SearchGateway(_queue.Object, _store.Object,
        Options.Create(new GatewayOptions { WaitForResult = wait ?? TimeSpan.FromMilliseconds(200), PollInterval = TimeSpan.FromMilliseconds(10) }),
        TimeProvider.System, NullLogger<SearchGateway>.Instance));

    private async Task<Reply> PostAsync(string body, string? contentType = "application/json")
    {
        var request = HttpRequests.Post("/api/v1/search", body, contentType);
        return await (await Functions().Search(request, CancellationToken.None)).RunAsync(request);
    }

    [Theory]
    [InlineData("""{"query":""}""", "query")]
    [InlineData("""{"query":"x","limit":0}""", "limit")]
    [InlineData("""{"query":"x","limit":500}""", "limit")]
    [InlineData("""{"query":"x","filters":{"genre":["Horror"]}}""", "filters.genre")]
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
        _queue.Verify(q => q.SendAsync(It.IsAny<SearchJobMessage>(), It.IsAny<CancellationToken>()), Times.Never);
    }

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
        SearchJobMessage? sent = null;
        _queue.Setup(q => q.SendAsync(It.IsAny<SearchJobMessage>(), It.IsAny<CancellationToken>()))
            .Callback<SearchJobMessage, CancellationToken>((m, _) => sent = m).Returns(Task.CompletedTask);

        var reply = await PostAsync("""{"query":"  Alien ","limit":5}""");

        Assert.Equal(202, reply.Status);
        Assert.NotNull(sent);
        Assert.Equal("alien", sent.Request.Query);
        Assert.Equal($"/api/v1/jobs/{sent.JobId}", reply.Headers["Location"]);
        Assert.True(int.Parse(reply.Headers["Retry-After"]) >= 1);
        Assert.Equal(sent.JobId, reply.Json.GetProperty("jobId").GetString());
        _store.Verify(s => s.PutJobAsync(It.Is<JobRecord>(j => j.JobId == sent.JobId && j.Status == JobStatus.Queued), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task A_recent_stored_result_is_served_from_cache_without_enqueueing()
    {
        var request = SearchRequestNormalizer.Normalize(new SearchRequest { Query = "alien" });
        var jobId = SearchRequestNormalizer.JobIdFor(request);
        _store.Setup(s => s.GetJobAsync(jobId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new JobRecord { JobId = jobId, Status = JobStatus.Succeeded, UpdatedAt = DateTimeOffset.UtcNow });
        _store.Setup(s => s.GetResultAsync(jobId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new SearchResponse { JobId = jobId, Query = "alien", Results = [new SearchHit { Id = "alien-1979", Title = "Alien", MatchedFields = ["title"] }] });

        var reply = await PostAsync("""{"query":"Alien"}""");

        Assert.Equal(200, reply.Status);
        Assert.True(reply.Json.GetProperty("cached").GetBoolean());
        Assert.Equal("Alien", reply.Json.GetProperty("results")[0].GetProperty("title").GetString());
        _queue.Verify(q => q.SendAsync(It.IsAny<SearchJobMessage>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_job_already_in_flight_is_not_enqueued_twice()
    {
        var jobId = SearchRequestNormalizer.JobIdFor(SearchRequestNormalizer.Normalize(new SearchRequest { Query = "alien" }));
        _store.Setup(s => s.GetJobAsync(jobId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(new JobRecord { JobId = jobId, Status = JobStatus.Running, UpdatedAt = DateTimeOffset.UtcNow });

        var reply = await PostAsync("""{"query":"alien"}""");

        Assert.Equal(202, reply.Status);
        _queue.Verify(q => q.SendAsync(It.IsAny<SearchJobMessage>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_failed_job_is_reported_as_problem_json()
    {
        var jobId = SearchRequestNormalizer.JobIdFor(SearchRequestNormalizer.Normalize(new SearchRequest { Query = "alien" }));
        _store.SetupSequence(s => s.GetJobAsync(jobId, It.IsAny<CancellationToken>()))
            .ReturnsAsync((JobRecord?)null)
            .ReturnsAsync(new JobRecord { JobId = jobId, Status = JobStatus.Failed, Error = "model crashed", UpdatedAt = DateTimeOffset.UtcNow });

        var reply = await PostAsync("""{"query":"alien"}""");

        Assert.Equal(502, reply.Status);
        Assert.StartsWith("application/problem+json", reply.ContentType);
        Assert.Contains("model crashed", reply.Json.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("has space", 400)]
    [InlineData("0123456789abcdef0123456789abcdef", 404)]
    public async Task Job_lookups_validate_the_id_and_report_unknown_jobs(string id, int status)
    {
        var request = HttpRequests.Get($"/api/v1/jobs/{id}");
        var reply = await (await Functions().GetJob(request, id, CancellationToken.None)).RunAsync(request);

        Assert.Equal(status, reply.Status);
        Assert.StartsWith("application/problem+json", reply.ContentType);
    }

    [Fact]
    public async Task When_the_queue_refuses_a_job_it_is_marked_failed_so_repeats_are_not_left_waiting()
    {
        _queue.Setup(q => q.SendAsync(It.IsAny<SearchJobMessage>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new Azure.RequestFailedException(503, "queue down"));
        var request = HttpRequests.Post("/api/v1/search", """{"query":"alien"}""");

        var error = await Assert.ThrowsAsync<Azure.RequestFailedException>(() => Functions().Search(request, CancellationToken.None));

        _store.Verify(s => s.PutJobAsync(It.Is<JobRecord>(j => j.Status == JobStatus.Failed && j.Error!.Contains("queue down")), It.IsAny<CancellationToken>()));
        var reply = await ProblemMiddleware.For(error, "corr-1", "/api/v1/search").RunAsync(request);
        Assert.Equal(503, reply.Status);
        Assert.StartsWith("application/problem+json", reply.ContentType);
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
}
