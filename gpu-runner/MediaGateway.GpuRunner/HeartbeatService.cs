using MediaGateway.Contracts.Jobs;
using MediaGateway.Engine.VectorStores;
using Microsoft.Extensions.Options;

namespace MediaGateway.GpuRunner;

/// <summary>Reports this runner's state to the result store, where the gateway's health endpoint reads it.</summary>
public sealed class HeartbeatService(EngineHost host, IResultStore store, IOptions<RunnerOptions> options, TimeProvider time, ILogger<HeartbeatService> logger) : BackgroundService
{
    private readonly string _instance = $"{Environment.MachineName}-{Environment.ProcessId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var ready = host.WhenReady(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            await WriteAsync(stoppingToken);
            // Beat on the interval, and once more the moment the engine is ready (or has failed).
            var tick = Task.Delay(options.Value.HeartbeatInterval, time, stoppingToken);
            await Task.WhenAny(tick, ready.IsCompleted ? tick : ready);
        }
    }

    /// <summary>Writes the runner's status now (a catalog import does, so the gateway learns the new catalog version at once).</summary>
    public Task BeatAsync(CancellationToken cancellationToken) => WriteAsync(cancellationToken);

    /// <summary>Runs one server check within <see cref="RunnerOptions.DependencyCheckTimeout"/>; null when the engine has no such server.</summary>
    private async Task<DependencyCheck?> BoundedAsync(string name, Func<CancellationToken, Task<DependencyCheck>?> check, CancellationToken stoppingToken)
    {
        var limit = options.Value.DependencyCheckTimeout;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(limit);
        var started = time.GetTimestamp();
        DependencyCheck? result = null;
        try
        {
            result = check(timeout.Token) is { } running ? await running.WaitAsync(timeout.Token) : null;
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
        }
        // Cut off: whatever the check made of its cancellation ("does not answer: a task was canceled"), say what happened.
        return timeout.IsCancellationRequested && !stoppingToken.IsCancellationRequested
            ? new DependencyCheck(name, false, Math.Round(time.GetElapsedTime(started).TotalMilliseconds, 1), $"timed out after {limit.TotalSeconds:0.#} s")
            : result;
    }

    private async Task WriteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var engine = host.Engine;
            var vectorStore = engine is null ? null : await BoundedAsync(engine.VectorStoreKind, engine.CheckVectorStoreAsync, stoppingToken);
            var ontologyStore = engine is null ? null : await BoundedAsync(engine.OntologyStoreKind, engine.CheckOntologyStoreAsync, stoppingToken);
            var dependencies = new[] { vectorStore, ontologyStore }.OfType<DependencyCheck>()
                .Select(d => new DependencyStatus { Name = d.Name, Healthy = d.Healthy, LatencyMs = d.LatencyMs, Detail = d.Detail }).ToArray();
            await store.PutRunnerStatusAsync(new RunnerStatus
            {
                Instance = _instance,
                Backend = engine?.BackendName ?? "not ready",
                BackendReason = engine?.BackendReason,
                Model = engine?.ModelId,
                CatalogItems = engine?.CatalogCount ?? 0,
                CatalogVersion = engine?.CatalogVersion,
                Ready = engine is not null,
                Detail = host.State,
                LastSeen = time.GetUtcNow(),
                LastBatchAt = host.LastBatchAt,
                RankDevice = engine?.RankDevice,
                RankFallbackReason = engine?.RankFallbackReason,
                BatchKernel = engine?.BatchKernel,
                Dependencies = dependencies.Length == 0 ? null : dependencies,
            }, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Could not write the runner heartbeat: {Message}", e.Message);
        }
    }
}
