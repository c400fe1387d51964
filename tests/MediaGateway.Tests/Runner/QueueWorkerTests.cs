using MediaGateway.GpuRunner;

namespace MediaGateway.Tests.Runner;

public sealed class QueueWorkerTests
{
    private static readonly RunnerOptions Options = new() { BatchSize = 32, MaxBatchWait = TimeSpan.FromMilliseconds(1) };

    [Theory]
    [InlineData(1, 1, false)]   // one request at a time: search at once, no second receive
    [InlineData(1, 0, false)]   // the first request after a quiet spell
    [InlineData(2, 1, true)]    // requests arriving together
    [InlineData(1, 12, true)]   // the last batch's callers are sending again
    [InlineData(32, 32, false)] // a full batch has nothing to wait for
    public void The_runner_waits_for_batchmates_only_while_requests_arrive_together(int received, int previousBatch, bool waits) =>
        Assert.Equal(waits, QueueWorker.WaitForBatchmates(received, previousBatch, Options));

    [Fact]
    public void A_batch_wait_of_zero_never_waits() =>
        Assert.False(QueueWorker.WaitForBatchmates(2, 12, new RunnerOptions { MaxBatchWait = TimeSpan.Zero }));
}
