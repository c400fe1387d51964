using MediaGateway.Contracts.Jobs;
using Microsoft.Extensions.Options;

namespace MediaGateway.GpuRunner;

/// <summary>The receive loop: waits for the engine, then takes messages in batches and hands them to <see cref="JobProcessor"/>.</summary>
internal sealed class QueueWorker(EngineHost host, IJobQueue queue, JobProcessor processor, IOptions<RunnerOptions> options, ILogger<QueueWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var engine = await host.WhenReady(stoppingToken);
        var o = options.Value;
        logger.LogInformation("Taking search jobs from the queue in batches of up to {BatchSize}", o.BatchSize);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var messages = await queue.ReceiveAsync(o.BatchSize, o.VisibilityTimeout, stoppingToken);
                if (messages.Count == 0)
                {
                    await Task.Delay(o.IdleDelay, stoppingToken);
                    continue;
                }
                await processor.ProcessAsync(engine, messages, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Storage hiccups must not stop the worker; unfinished messages reappear after their lease.
                logger.LogError(e, "Queue processing failed; retrying shortly");
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }
}

/// <summary>Reports this runner's state to the result store, where the gateway's health endpoint reads it.</summary>
internal sealed class HeartbeatService(EngineHost host, IResultStore store, IOptions<RunnerOptions> options, TimeProvider time, ILogger<HeartbeatService> logger) : BackgroundService
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

    private async Task WriteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var engine = host.Engine;
            var vectorStore = engine is null ? null : await engine.CheckVectorStoreAsync(stoppingToken);
            await store.PutRunnerStatusAsync(new RunnerStatus
            {
                Instance = _instance,
                Backend = engine?.BackendName ?? "not ready",
                BackendReason = engine?.BackendReason,
                Model = engine?.ModelId,
                CatalogItems = engine?.CatalogCount ?? 0,
                Ready = engine is not null,
                Detail = host.State,
                LastSeen = time.GetUtcNow(),
                Dependencies = vectorStore is null ? null :
                    [new DependencyStatus { Name = vectorStore.Name, Healthy = vectorStore.Healthy, LatencyMs = vectorStore.LatencyMs, Detail = vectorStore.Detail }],
            }, stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Could not write the runner heartbeat: {Message}", e.Message);
        }
    }
}
