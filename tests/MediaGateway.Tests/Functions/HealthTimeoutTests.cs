using MediaGateway.Contracts.Jobs;
using MediaGateway.Functions;
using MediaGateway.Functions.Health;
using MediaGateway.Storage;
using MediaGateway.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace MediaGateway.Tests.Functions;

public sealed class HealthTimeoutTests
{
    [Fact]
    public async Task A_dependency_that_hangs_is_reported_as_timed_out_within_the_check_timeout()
    {
        var hanging = new Mock<IJobQueue>();
        hanging.Setup(q => q.GetApproximateLengthAsync(It.IsAny<CancellationToken>()))
            .Returns<CancellationToken>(HangAsync);
        var services = new ServiceCollection().AddLogging().AddSingleton(hanging.Object);
        services.AddGateway(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [StorageRegistration.ModeKey] = nameof(StorageMode.InProcess),
            ["MediaGateway:Gateway:HealthCheckTimeout"] = "00:00:00.300",
        }).Build());
        await using var provider = services.BuildServiceProvider();
        var request = HttpRequests.Get("/api/v1/health/details");

        // The keyed report says why; the public one only that the queue is unhealthy (both within the timeout).
        var result = await provider.GetRequiredService<HealthFunction>().Details(request, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
        var reply = await result.RunAsync(request);
        var publicRequest = HttpRequests.Get("/api/v1/health");
        var publicReply = await (await provider.GetRequiredService<HealthFunction>().Run(publicRequest, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20))).RunAsync(publicRequest);

        Assert.Equal(503, publicReply.Status);
        Assert.Equal("Unhealthy", publicReply.Json.GetProperty("checks").GetProperty("queue").GetString());
        Assert.Equal(503, reply.Status);
        var queue = reply.Json.GetProperty("checks").GetProperty("queue");
        Assert.Equal("Unhealthy", queue.GetProperty("status").GetString());
        Assert.Contains("timeout", queue.GetProperty("description").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_unhealthy_gateway_answers_503_with_Retry_After_naming_the_failing_dependency_and_its_latency()
    {
        var hanging = new Mock<IJobQueue>();
        hanging.Setup(q => q.GetApproximateLengthAsync(It.IsAny<CancellationToken>())).Returns<CancellationToken>(HangAsync);
        await using var provider = Gateway(hanging.Object, "00:00:00.300");
        // A runner that beats on time but cannot reach its vector store.
        await provider.GetRequiredService<IResultStore>().PutRunnerStatusAsync(new RunnerStatus
        {
            Instance = "runner-1", Backend = "cpu", Ready = true, LastSeen = DateTimeOffset.UtcNow,
            Dependencies = [new DependencyStatus { Name = "milvus", Healthy = false, LatencyMs = 2_000.5, Detail = "connection refused by 10.0.0.7" }],
        });

        var request = HttpRequests.Get("/api/v1/health");
        var reply = await (await provider.GetRequiredService<HealthFunction>().Run(request, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20))).RunAsync(request);

        Assert.Equal(503, reply.Status);
        Assert.Equal(HealthFunction.RetryAfterSeconds, reply.Headers["Retry-After"]);
        var failing = reply.Json.GetProperty("failing").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Equal(["gpuRunner", "gpuRunner/milvus", "queue"], failing.Keys.Order().ToArray());
        Assert.True(failing["queue"].GetProperty("timedOut").GetBoolean());
        Assert.InRange(failing["queue"].GetProperty("latencyMs").GetDouble(), 250, 20_000);
        Assert.Equal(2_000.5, failing["gpuRunner/milvus"].GetProperty("latencyMs").GetDouble());
        Assert.False(failing["gpuRunner"].GetProperty("timedOut").GetBoolean());
        // Still no descriptions for anonymous callers: nothing of the runner's error text.
        Assert.DoesNotContain("10.0.0.7", reply.Text);
    }

    [Fact]
    public async Task A_healthy_gateway_answers_200_without_Retry_After_or_failing_list()
    {
        var queue = new Mock<IJobQueue>();
        queue.Setup(q => q.GetApproximateLengthAsync(It.IsAny<CancellationToken>())).ReturnsAsync(0);
        await using var provider = Gateway(queue.Object, "00:00:03");
        await provider.GetRequiredService<IResultStore>().PutRunnerStatusAsync(new RunnerStatus { Instance = "runner-1", Backend = "cpu", Ready = true, LastSeen = DateTimeOffset.UtcNow });

        var request = HttpRequests.Get("/api/v1/health");
        var reply = await (await provider.GetRequiredService<HealthFunction>().Run(request, CancellationToken.None)).RunAsync(request);

        Assert.Equal(200, reply.Status);
        Assert.False(reply.Headers.ContainsKey("Retry-After"));
        Assert.False(reply.Json.TryGetProperty("failing", out _));
    }

    private static ServiceProvider Gateway(IJobQueue queue, string checkTimeout)
    {
        var services = new ServiceCollection().AddLogging().AddSingleton(queue);
        services.AddGateway(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [StorageRegistration.ModeKey] = nameof(StorageMode.InProcess),
            ["MediaGateway:Gateway:HealthCheckTimeout"] = checkTimeout,
        }).Build());
        return services.BuildServiceProvider();
    }

    private static async Task<int> HangAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return 0;
    }
}
