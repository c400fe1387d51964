using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MediaGateway.Engine.Pipeline;
using MediaGateway.Functions.Telemetry;
using MediaGateway.GpuRunner.Telemetry;
using MediaGateway.Tests.Security;

namespace MediaGateway.Tests.Telemetry;

/// <summary>
/// A search over HTTP through the embedded default (in-process queue) is one trace: the gateway's search and send
/// spans, then the runner's batch span, the engine's stage spans and the job's store span, all under one trace id.
/// </summary>
[Collection(LocalGatewayCollection.Name)]
public sealed class TraceTests(LocalGatewayFixture gateway) : IDisposable
{
    private readonly ConcurrentBag<Activity> _stopped = [];
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name.StartsWith("MediaGateway.", StringComparison.Ordinal),
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    private void Listen()
    {
        _listener.ActivityStopped = _stopped.Add;
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public async Task The_runners_spans_share_the_gateways_trace_id()
    {
        Listen();
        var query = $"a scary film from the 80s {Guid.NewGuid():N}"[..40];
        using var response = await gateway.Client.SendAsync(LocalGatewayFixture.From("198.51.100.71", new HttpRequestMessage(HttpMethod.Post, "/api/v1/search")
        {
            Content = JsonContent.Create(new { query, limit = 3 }),
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(body.RootElement.GetProperty("cached").GetBoolean());
        var jobId = body.RootElement.GetProperty("jobId").GetString();

        // The store span ends after the result is written, which is what woke the gateway: give it a moment.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        Activity? search = null, store = null;
        while (DateTime.UtcNow < deadline && (search is null || store is null))
        {
            search = _stopped.FirstOrDefault(a => a.Source == GatewayActivity.Source && a.DisplayName == "search" && (string?)a.GetTagItem("mediagateway.job_id") == jobId);
            store = _stopped.FirstOrDefault(a => a.Source == RunnerActivity.Source && a.DisplayName == "store" && (string?)a.GetTagItem("mediagateway.job_id") == jobId);
            await Task.Delay(50);
        }
        Assert.NotNull(search);
        Assert.NotNull(store);
        var trace = _stopped.Where(a => a.TraceId == search.TraceId).ToArray();

        var send = Assert.Single(trace, a => a.Source == GatewayActivity.Source && a.Kind == ActivityKind.Producer);
        Assert.Equal(search.SpanId, send.ParentSpanId);
        var batch = Assert.Single(trace, a => a.Source == RunnerActivity.Source && a.DisplayName == "process search-jobs");
        Assert.Equal(send.SpanId, batch.ParentSpanId);
        Assert.Equal("cpu", batch.GetTagItem(RunnerMetrics.BackendTag));
        var stages = trace.Where(a => a.Source == EngineActivity.Source).ToArray();
        Assert.Equal(["plan", "embed", "admit", "search", "enrich", "rank"], stages.OrderBy(a => a.StartTimeUtc).Select(a => a.DisplayName).ToArray());
        Assert.All(stages, s => Assert.Equal(batch.SpanId, s.ParentSpanId));
        Assert.Equal(search.TraceId, store.TraceId);
        Assert.Equal(batch.SpanId, store.ParentSpanId);
    }

    public void Dispose() => _listener.Dispose();
}
