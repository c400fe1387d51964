using MediaGateway.Engine.Kernels.Cuda;

namespace MediaGateway.Gpu.Tests;

/// <summary>
/// The choice between the 64- and the 32-query tensor-core kernels for large batches is the faster of the two as timed on
/// the device; these tests stand in for the device's timings.
/// </summary>
public sealed class BatchKernelTunerTests
{
    private static readonly KernelTuning Tuning = new(MinRows: 1000, Batch: 1024, Repeats: 3);

    [Theory]
    [InlineData(30.0, 36.0, ScanKernel.TensorCoresLarge, "64 queries per block (scan of 1,024 queries over 5,000,000 rows: 30.000 ms with 64 queries per block, 36.000 ms with 32)")]
    [InlineData(41.0, 36.0, ScanKernel.TensorCores, "32 queries per block (scan of 1,024 queries over 5,000,000 rows: 41.000 ms with 64 queries per block, 36.000 ms with 32)")]
    public void The_faster_kernel_takes_large_batches(double largeMs, double smallMs, ScanKernel expected, string summary)
    {
        var timed = new List<int>();
        var (device, text) = BatchKernelTuner.Choose(ScanDevice.Uniform(132), Tuning, 5_000_000, 384, candidate =>
        {
            timed.Add(candidate.MmaLargeMaxK);
            return candidate.MmaLargeMaxK > 0 ? largeMs : smallMs;
        });
        Assert.Equal([KernelGeometry.MmaMaxK, 0], timed);   // each timed once, the 64-query kernel first
        Assert.Equal(expected, SearchPlanner.ChooseKernel(1024, 10, 384, device));
        Assert.Equal("batches of 64+: " + summary, text);
        // Whichever wins, smaller batches and wider lists keep their kernels.
        Assert.Equal(ScanKernel.TensorCores, SearchPlanner.ChooseKernel(32, 10, 384, device));
        Assert.Equal(ScanKernel.TensorCoresWide, SearchPlanner.ChooseKernel(1024, 500, 384, device));
    }

    [Fact]
    public void A_small_catalog_is_not_timed_and_keeps_the_64_query_kernel()
    {
        var (device, text) = BatchKernelTuner.Choose(ScanDevice.Uniform(132), Tuning, 999, 384, _ => throw new InvalidOperationException("timed"));
        Assert.Equal(ScanKernel.TensorCoresLarge, SearchPlanner.ChooseKernel(1024, 10, 384, device));
        Assert.Contains("not timed: the catalog has fewer than 1,000 rows", text);
    }

    [Theory]
    [InlineData(768, "not a tensor-core dimension")]        // the batch would stream on both: nothing to time
    [InlineData(384, "two such blocks do not fit an SM")]  // an A100 by shared memory: 164 KiB per SM, one 86 KB block
    public void Where_the_tuning_batch_would_not_run_64_queries_per_block_nothing_is_timed(int dim, string why)
    {
        var a100 = new ScanDevice(108, 128, 64, 1024, (_, sharedBytes) => 167_936 / (sharedBytes + 1024));
        var (device, text) = BatchKernelTuner.Choose(a100, Tuning, 5_000_000, dim, _ => throw new InvalidOperationException("timed"));
        Assert.Same(a100, device);
        Assert.Equal($"batches: not 64 queries per block at d = {dim} ({why})", text);
    }

    [Fact]
    public void A_device_without_room_for_64_queries_is_not_timed()
    {
        var sm86 = ScanDevice.Uniform(84) with { MmaLargeMaxK = 0, MmaWideMaxK = 512 };
        var (device, text) = BatchKernelTuner.Choose(sm86, Tuning, 5_000_000, 384, _ => throw new InvalidOperationException("timed"));
        Assert.Same(sm86, device);
        Assert.Equal("batches: 32 queries per block (no room for 64 in this device's shared memory)", text);
    }
}
