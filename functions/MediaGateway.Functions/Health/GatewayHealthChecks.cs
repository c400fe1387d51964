using MediaGateway.Contracts.Jobs;
using MediaGateway.Functions.Search;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace MediaGateway.Functions.Health;

/// <summary>The work queue is reachable; reports its backlog.</summary>
public sealed class QueueHealthCheck(IJobQueue queue) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var length = await queue.GetApproximateLengthAsync(cancellationToken);
            return HealthCheckResult.Healthy($"Queue reachable, about {length} job(s) waiting.", new Dictionary<string, object> { ["waiting"] = length });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"The work queue is unreachable: {e.Message}. Check the AzureWebJobsStorage settings and that the storage (or Azurite) is running.");
        }
    }
}

/// <summary>A gpu-runner has reported recently and its engine is ready; otherwise says what it is doing or that none is there.</summary>
public sealed class RunnerHealthCheck(IResultStore store, IOptions<GatewayOptions> options, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        RunnerStatus? runner;
        try
        {
            runner = await store.GetRunnerStatusAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"The result store is unreachable: {e.Message}.");
        }
        if (runner is null)
            return HealthCheckResult.Unhealthy("No gpu-runner has ever reported. Searches will wait in the queue until one starts.");

        var age = time.GetUtcNow() - runner.LastSeen;
        var data = new Dictionary<string, object>
        {
            ["instance"] = runner.Instance,
            ["backend"] = runner.Backend,
            ["catalogItems"] = runner.CatalogItems,
            ["lastSeenSecondsAgo"] = Math.Round(age.TotalSeconds, 1),
        };
        if (runner.BackendReason is not null) data["backendReason"] = runner.BackendReason;
        if (runner.Model is not null) data["model"] = runner.Model;
        if (runner.RankDevice is not null) data["rankDevice"] = runner.RankDevice;
        if (runner.RankFallbackReason is not null) data["rankFallbackReason"] = runner.RankFallbackReason;
        if (runner.BatchKernel is not null) data["batchKernel"] = runner.BatchKernel;
        if (runner.LastBatchAt is { } lastBatch) data["lastBatchSecondsAgo"] = Math.Round((time.GetUtcNow() - lastBatch).TotalSeconds, 1);
        foreach (var d in runner.Dependencies ?? [])
            data[d.Name] = new Dictionary<string, object> { ["healthy"] = d.Healthy, ["latencyMs"] = d.LatencyMs, ["detail"] = d.Detail ?? "" };
        if (age > options.Value.RunnerHeartbeatTimeout)
            return HealthCheckResult.Unhealthy($"The gpu-runner was last seen {age.TotalSeconds:F0} s ago ({runner.Detail}); it may have stopped.", data: data);
        if (!runner.Ready)
            return HealthCheckResult.Degraded($"The gpu-runner is starting: {runner.Detail}.", data: data);
        if (runner.Dependencies?.FirstOrDefault(d => !d.Healthy) is { } down)
            return HealthCheckResult.Unhealthy($"The gpu-runner cannot reach its {down.Name}: {down.Detail}", data: data);
        // Ready, and perhaps busy with more than searches: "ready; importing catalog …: embedding catalog 3584/8000".
        var busy = runner.Detail is { } detail && detail.StartsWith("ready; ", StringComparison.Ordinal) ? $" ({detail["ready; ".Length..]})" : "";
        return HealthCheckResult.Healthy($"gpu-runner ready on {runner.Backend} with {runner.CatalogItems} items{busy}.", data);
    }
}
