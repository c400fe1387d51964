using MediaGateway.Engine.Kernels.Cuda;

namespace MediaGateway.Gpu.Tests;

/// <summary>
/// The choice between the 64- and the 32-query tensor-core kernels for large batches is the faster of the two as timed on
/// the device, list size by list size; these tests stand in for the device's timings.
/// </summary>
public sealed class BatchKernelTunerTests
{
    private static readonly KernelTuning Tuning = new(MinRows: 1000, Batch: 1024, Repeats: 3);

    [Theory]
    // The 64-query kernel faster at every list size: it takes every k it can.
    [InlineData(new[] { 30.0, 31.0, 33.0 }, new[] { 36.0, 36.5, 37.0 }, 128, "64 queries per block up to k = 128 (scan of 1,024 queries over 5,000,000 rows, ms with 64 queries per block / 32: k = 32: 30.000 / 36.000; k = 64: 31.000 / 36.500; k = 128: 33.000 / 37.000)")]
    // Faster with the small lists only: 32 queries per block from k = 64 on, and k = 128 is not timed.
    [InlineData(new[] { 30.0, 38.0, 0.0 }, new[] { 36.0, 36.5, 0.0 }, 32, "64 queries per block up to k = 32, 32 above (scan of 1,024 queries over 5,000,000 rows, ms with 64 queries per block / 32: k = 32: 30.000 / 36.000; k = 64: 38.000 / 36.500)")]
    // Slower already with the smallest lists: only the first list size is timed.
    [InlineData(new[] { 41.0, 0.0, 0.0 }, new[] { 36.0, 0.0, 0.0 }, 0, "32 queries per block (scan of 1,024 queries over 5,000,000 rows, ms with 64 queries per block / 32: k = 32: 41.000 / 36.000)")]
    public void The_64_query_kernel_takes_the_list_sizes_where_it_was_faster(double[] largeMs, double[] smallMs, int largeMaxK, string summary)
    {
        var timed = new List<(int K, bool Large)>();
        var (device, text) = BatchKernelTuner.Choose(ScanDevice.Uniform(132), Tuning, 5_000_000, 384, (candidate, k) =>
        {
            var large = candidate.MmaLargeMaxK > 0;
            timed.Add((k, large));
            var size = System.Numerics.BitOperations.Log2((uint)k) - 5;   // 32, 64, 128 -> 0, 1, 2
            return large ? largeMs[size] : smallMs[size];
        });
        // Each list size timed once on each kernel, the 64-query one first, smallest lists first, until 32 queries win.
        var sizes = largeMaxK == 128 ? 3 : largeMaxK == 32 ? 2 : 1;
        Assert.Equal(new[] { 32, 64, 128 }.Take(sizes).SelectMany(k => new[] { (k, true), (k, false) }), timed);
        Assert.Equal("batches of 64+: " + summary, text);
        foreach (var k in new[] { 10, 32, 50, 64, 100, 128 })
            Assert.Equal(k <= largeMaxK ? ScanKernel.TensorCoresLarge : ScanKernel.TensorCores, SearchPlanner.ChooseKernel(1024, k, 384, device));
        // Whichever wins, smaller batches and wider lists keep their kernels.
        Assert.Equal(ScanKernel.TensorCores, SearchPlanner.ChooseKernel(32, 10, 384, device));
        Assert.Equal(ScanKernel.TensorCoresWide, SearchPlanner.ChooseKernel(1024, 500, 384, device));
    }

    [Fact]
    public void Only_list_sizes_that_fit_two_64_query_blocks_on_an_SM_are_timed()
    {
        // An H200 by shared memory (233,472 bytes per SM): at d = 384 two 64-query blocks fit up to k = 64, not at 128.
        var h200 = new ScanDevice(132, 128, 128, 1024, (_, sharedBytes) => 233_472 / (sharedBytes + 1024));
        Assert.Equal([32, 64], BatchKernelTuner.ListSizes(h200, 1024, 384));
        var timed = new List<int>();
        var (device, text) = BatchKernelTuner.Choose(h200, Tuning, 5_000_000, 384, (candidate, k) =>
        {
            timed.Add(k);
            return candidate.MmaLargeMaxK > 0 ? 1.0 : 2.0;
        });
        Assert.Equal([32, 32, 64, 64], timed);
        Assert.Equal(64, device.MmaLargeMaxK);
        Assert.StartsWith("batches of 64+: 64 queries per block up to k = 64 (", text);
    }

    [Fact]
    public void A_list_size_whose_tuning_batch_does_not_fit_ends_the_timing_and_keeps_what_the_smaller_ones_showed()
    {
        var timed = new List<int>();
        var (device, text) = BatchKernelTuner.Choose(ScanDevice.Uniform(132), Tuning, 5_000_000, 384, (candidate, k) =>
        {
            if (k == 128) throw new InsufficientDeviceMemoryException("the tuning batch's buffers");
            timed.Add(k);
            return candidate.MmaLargeMaxK > 0 ? 1.0 : 2.0;
        });
        Assert.Equal([32, 32, 64, 64], timed);
        Assert.Equal(64, device.MmaLargeMaxK);   // 64-query blocks where they were timed and won; 32 at k = 128
        Assert.EndsWith("k = 128: not timed (Not enough GPU memory: the tuning batch's buffers.))", text);

        // Where not even the smallest lists could be timed, the untimed choice stands.
        var (untimed, why) = BatchKernelTuner.Choose(ScanDevice.Uniform(132), Tuning, 5_000_000, 384,
            (_, _) => throw new InsufficientDeviceMemoryException("the tuning batch's buffers"));
        Assert.Equal(KernelGeometry.MmaMaxK, untimed.MmaLargeMaxK);
        Assert.Equal("batches of 64+: 64 queries per block up to k = 128 (not timed: Not enough GPU memory: the tuning batch's buffers.)", why);
    }

    [Fact]
    public void A_small_catalog_is_not_timed_and_keeps_the_64_query_kernel()
    {
        var (device, text) = BatchKernelTuner.Choose(ScanDevice.Uniform(132), Tuning, 999, 384, (_, _) => throw new InvalidOperationException("timed"));
        Assert.Equal(ScanKernel.TensorCoresLarge, SearchPlanner.ChooseKernel(1024, 10, 384, device));
        Assert.Equal("batches of 64+: 64 queries per block up to k = 128 (not timed: the catalog has fewer than 1,000 rows)", text);
    }

    [Theory]
    [InlineData(768, "not a tensor-core dimension")]        // the batch would stream on both: nothing to time
    [InlineData(384, "two such blocks do not fit an SM")]  // an A100 by shared memory: 164 KiB per SM, one 86 KB block
    public void Where_the_tuning_batch_would_not_run_64_queries_per_block_nothing_is_timed(int dim, string why)
    {
        var a100 = new ScanDevice(108, 128, 64, 1024, (_, sharedBytes) => 167_936 / (sharedBytes + 1024));
        var (device, text) = BatchKernelTuner.Choose(a100, Tuning, 5_000_000, dim, (_, _) => throw new InvalidOperationException("timed"));
        Assert.Same(a100, device);
        Assert.Equal($"batches: not 64 queries per block at d = {dim} ({why})", text);
    }

    [Fact]
    public void A_device_without_room_for_64_queries_is_not_timed()
    {
        var sm86 = ScanDevice.Uniform(84) with { MmaLargeMaxK = 0, MmaWideMaxK = 512 };
        var (device, text) = BatchKernelTuner.Choose(sm86, Tuning, 5_000_000, 384, (_, _) => throw new InvalidOperationException("timed"));
        Assert.Same(sm86, device);
        Assert.Equal("batches: 32 queries per block (no room for 64 in this device's shared memory)", text);
    }
}
