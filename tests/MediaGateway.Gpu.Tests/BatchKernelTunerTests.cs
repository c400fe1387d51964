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
        var (device, text) = BatchKernelTuner.Choose(ScanDevice.Uniform(132), Tuning, 5_000_000, candidate =>
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
        var (device, text) = BatchKernelTuner.Choose(ScanDevice.Uniform(132), Tuning, 999, _ => throw new InvalidOperationException("timed"));
        Assert.Equal(ScanKernel.TensorCoresLarge, SearchPlanner.ChooseKernel(1024, 10, 384, device));
        Assert.Contains("not timed: the catalog has fewer than 1,000 rows", text);
    }

    [Fact]
    public void A_device_without_room_for_64_queries_is_not_timed()
    {
        var sm86 = ScanDevice.Uniform(84) with { MmaLargeMaxK = 0, MmaWideMaxK = 512 };
        var (device, text) = BatchKernelTuner.Choose(sm86, Tuning, 5_000_000, _ => throw new InvalidOperationException("timed"));
        Assert.Same(sm86, device);
        Assert.Equal("batches: 32 queries per block (no room for 64 in this device's shared memory)", text);
    }
}
