using MediaGateway.Contracts;
using MediaGateway.Storage;
using Microsoft.Extensions.Options;

namespace MediaGateway.GpuRunner;

/// <summary>
/// Deletes expired job records (with their inline results) and cache-key claims from the jobs table every
/// <see cref="RunnerOptions.JobSweepInterval"/>: blobs expire by the storage account's lifecycle rule, table entities
/// cannot, and without this the table would grow by every search ever made. Azure Storage only (the in-process store
/// bounds itself). A failed sweep is logged and tried again on the next interval.
/// </summary>
public sealed class ExpiredJobSweeper(AzureResultStore store, IOptions<RunnerOptions> options, TimeProvider time, ILogger<ExpiredJobSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        // Replicas started together should not all sweep at the same moment.
        await Task.Delay(TimeSpan.FromSeconds(Random.Shared.Next(30, 120)), time, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var started = time.GetTimestamp();
                var deleted = await store.DeleteExpiredAsync(time.GetUtcNow() - o.JobRecordRetention, stoppingToken);
                logger.LogInformation("Deleted {Count} job records and cache claims older than {Retention} in {Ms:F0} ms",
                    deleted, o.JobRecordRetention, time.GetElapsedTime(started).TotalMilliseconds);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Expired job records could not be deleted ({Error}); trying again in {Interval}", SafeText.Escape(e.Message), o.JobSweepInterval);
            }
            await Task.Delay(o.JobSweepInterval, time, stoppingToken);
        }
    }
}
