using MediaGateway.Contracts.Jobs;
using MediaGateway.Storage;
using Microsoft.Extensions.Options;

namespace MediaGateway.GpuRunner;

/// <summary>
/// The receive loop: waits for the engine, then takes messages in batches and hands them to <see cref="JobProcessor"/>,
/// up to <see cref="RunnerOptions.BatchesInFlight"/> batches at once.
/// It never sleeps while there is work: an empty queue is waited on (the in-process queue wakes it on arrival;
/// on Azure the wait stays <see cref="RunnerOptions.IdleDelay"/> for <see cref="RunnerOptions.IdleBackoffAfter"/>, then grows to
/// <see cref="RunnerOptions.MaxIdleDelay"/>).
/// </summary>
internal sealed class QueueWorker(EngineHost host, IJobQueue queue, JobProcessor processor, CatalogImportProcessor imports, IOptions<RunnerOptions> options, TimeProvider time, ILogger<QueueWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await host.WhenReady(stoppingToken);
        var o = options.Value;
        var room = Math.Max(1, o.BatchesInFlight);
        logger.LogInformation("Taking search jobs from the queue in batches of up to {BatchSize}, {InFlight} at a time", o.BatchSize, room);
        var idle = new PollingBackoff(o.IdleDelay, o.MaxIdleDelay, o.IdleBackoffAfter, growth: 2, time);
        var previousBatch = 0;
        var inFlight = new List<Task>(room);
        Task? arrival = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                inFlight.RemoveAll(t => t.IsCompleted);
                if (inFlight.Count == room)
                {
                    await Task.WhenAny(inFlight);
                    continue;
                }
                var messages = await queue.ReceiveAsync(o.BatchSize, o.VisibilityTimeout, stoppingToken);
                if (messages.Count == 0)
                {
                    // A batch finishing is a reason to look again as well: its callers' next requests follow at once.
                    // The wait for an arrival is kept until it ends, never dropped for a new one: the in-process queue
                    // wakes one waiter per arrival, and a dropped wait would take the wake-up meant for this loop.
                    arrival ??= queue.WaitForMessagesAsync(idle.Next(), stoppingToken);
                    await (inFlight.Count == 0 ? arrival : Task.WhenAny(arrival, Task.WhenAny(inFlight)));
                    if (arrival.IsCompleted)
                    {
                        var ended = arrival;
                        arrival = null;
                        await ended; // a stop cancels it
                    }
                    continue;
                }
                idle.Reset();
                if (WaitForBatchmates(messages.Count, previousBatch, o))
                {
                    // Requests that arrive together share one model call and one kernel call.
                    await Task.Delay(o.MaxBatchWait, time, stoppingToken);
                    messages = [.. messages, .. await queue.ReceiveAsync(o.BatchSize - messages.Count, o.VisibilityTimeout, stoppingToken)];
                }
                previousBatch = messages.Count;
                inFlight.Add(RunBatchAsync(messages, stoppingToken));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // Storage hiccups must not stop the worker; unfinished messages reappear after their lease.
                logger.LogError(e, "Queue processing failed; retrying shortly");
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break; // stopping: still wait for the batches under way, below
                }
            }
        }
        // Batches under way finish (or see the cancellation) before the worker stops.
        await Task.WhenAll(inFlight);
    }

    /// <summary>One batch, beside the receive loop: the loop takes the next batch while this one is searched and written.</summary>
    private async Task RunBatchAsync(IReadOnlyList<ReceivedMessage> messages, CancellationToken stoppingToken)
    {
        await Task.Yield(); // the receive loop goes on at once; the batch runs on the thread pool
        try
        {
            // Catalog imports share the queue; they run beside the searches, which keep the engine in service until the swap.
            var searches = await imports.TakeImportsAsync(messages, stoppingToken);
            if (searches.Count > 0) await processor.ProcessAsync(host.Engine!, searches, stoppingToken);
            host.ReportBatch(time.GetUtcNow());
            logger.LogDebug("Finished a batch of {Count} message(s)", messages.Count);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // The batch's unfinished messages reappear after their lease; the worker and the other batches go on.
            logger.LogError(e, "A batch of {Count} failed; its unfinished messages will be retried after their lease", messages.Count);
        }
    }

    /// <summary>
    /// Whether to wait <see cref="RunnerOptions.MaxBatchWait"/> and receive once more before searching: only while
    /// requests are arriving together (this receive, or the batch before it, held more than one). A caller sending one
    /// request at a time never waits for batchmates that are not coming, nor pays a second receive (a round trip on
    /// Azure Storage); under concurrent load the short wait lets the requests answered by the last batch, sent again
    /// within a millisecond, share the next one.
    /// </summary>
    internal static bool WaitForBatchmates(int received, int previousBatch, RunnerOptions options) =>
        options.MaxBatchWait > TimeSpan.Zero && received < options.BatchSize && (received > 1 || previousBatch > 1);
}
