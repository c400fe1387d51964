using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using MediaGateway.Functions.Telemetry;
using MediaGateway.GpuRunner.Telemetry;
using MediaGateway.Telemetry;
using MediaGateway.Tests.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace MediaGateway.Tests.Telemetry;

/// <summary>The gateway's and the runner's meters, read with the framework's collector from the real local gateway.</summary>
[Collection(LocalGatewayCollection.Name)]
public sealed class MetricsTests(LocalGatewayFixture gateway)
{
    private IMeterFactory Meters => gateway.Services.GetRequiredService<IMeterFactory>();

    private async Task<HttpStatusCode> SearchAsync(string client, string query)
    {
        using var response = await gateway.Client.SendAsync(LocalGatewayFixture.From(client, new HttpRequestMessage(HttpMethod.Post, "/api/v1/search")
        {
            Content = JsonContent.Create(new { query, limit = 2 }),
        }));
        return response.StatusCode;
    }

    [Fact]
    public async Task A_new_search_counts_a_miss_and_its_repeat_a_memory_hit_and_both_record_their_latency()
    {
        using var hits = new MetricCollector<long>(Meters, TelemetryNames.Gateway, GatewayMetrics.CacheHitsName);
        using var misses = new MetricCollector<long>(Meters, TelemetryNames.Gateway, GatewayMetrics.CacheMissesName);
        using var latency = new MetricCollector<double>(Meters, TelemetryNames.Gateway, GatewayMetrics.SearchDurationName);
        var query = $"heist films {Guid.NewGuid():N}"[..30];

        Assert.Equal(HttpStatusCode.OK, await SearchAsync("198.51.100.81", query));
        Assert.Equal(HttpStatusCode.OK, await SearchAsync("198.51.100.81", query));
        Assert.Equal(HttpStatusCode.BadRequest, await SearchAsync("198.51.100.81", ""));

        // Tests of one collection run one at a time, and the collectors see only this gateway's meters.
        Assert.Equal(1, Assert.Single(misses.GetMeasurementSnapshot()).Value);
        var hit = Assert.Single(hits.GetMeasurementSnapshot());
        Assert.Equal("memory", hit.Tags["mediagateway.cache.layer"]);
        Assert.Equal(["completed", "cached", "invalid"], latency.GetMeasurementSnapshot().Select(m => (string)m.Tags["mediagateway.outcome"]!).ToArray());
        Assert.All(latency.GetMeasurementSnapshot(), m => Assert.InRange(m.Value, 0, 60));
    }

    [Fact]
    public async Task The_runner_records_queue_wait_batch_size_and_stage_times_tagged_with_its_backend()
    {
        using var wait = new MetricCollector<double>(Meters, TelemetryNames.Runner, RunnerMetrics.QueueWaitName);
        using var batches = new MetricCollector<long>(Meters, TelemetryNames.Runner, RunnerMetrics.BatchSizeName);
        using var stages = new MetricCollector<double>(Meters, TelemetryNames.Runner, RunnerMetrics.StageDurationName);

        Assert.Equal(HttpStatusCode.OK, await SearchAsync("198.51.100.82", $"space opera {Guid.NewGuid():N}"[..30]));

        Assert.InRange(Assert.Single(wait.GetMeasurementSnapshot()).Value, 0, 60);
        var batch = Assert.Single(batches.GetMeasurementSnapshot());
        Assert.Equal(1, batch.Value);
        Assert.Equal("cpu", batch.Tags[RunnerMetrics.BackendTag]);
        var stageNames = stages.GetMeasurementSnapshot().Select(m => (string)m.Tags["mediagateway.stage"]!).Distinct().Order().ToArray();
        Assert.Equal(["embed", "enrich", "plan", "rank", "search"], stageNames);
    }

    [Fact]
    public void Queue_wait_ignores_a_missing_or_future_enqueue_time()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var wait = new MetricCollector<double>(factory, TelemetryNames.Runner, RunnerMetrics.QueueWaitName);
        var metrics = new RunnerMetrics(factory);
        var now = DateTimeOffset.UtcNow;

        metrics.RecordQueueWait(default, now);
        metrics.RecordQueueWait(now.AddSeconds(5), now);
        metrics.RecordQueueWait(now.AddMilliseconds(-250), now);

        Assert.Equal(0.25, Assert.Single(wait.GetMeasurementSnapshot()).Value, 6);
    }
}
