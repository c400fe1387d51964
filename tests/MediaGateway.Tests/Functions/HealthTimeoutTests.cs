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

    private static async Task<int> HangAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return 0;
    }
}
