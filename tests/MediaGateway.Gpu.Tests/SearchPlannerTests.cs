using MediaGateway.Engine.Kernels.Cuda;

namespace MediaGateway.Gpu.Tests;

public sealed class SearchPlannerTests
{
    [Theory]
    [InlineData(1_000_000, 1, 10, 132)]
    [InlineData(10_000_000, 1, 100, 132)]
    [InlineData(10_000_000, 64, 10, 132)]
    [InlineData(10_000_000, 1024, 100, 132)]
    [InlineData(10_000_000, 1024, 1024, 132)]
    [InlineData(3_000, 40, 10, 108)]
    [InlineData(1, 1, 1, 132)]
    [InlineData(257, 16, 128, 8)]
    [InlineData(5_000_000, 4096, 10, 132)]
    public void Slabs_cover_every_row_in_whole_sub_tiles(int rows, int queries, int k, int sms)
    {
        var device = ScanDevice.Uniform(sms);
        var plan = SearchPlanner.PlanScan(rows, 384, queries, k, device);
        Assert.Equal(0, plan.RowsPerSlab % KernelGeometry.RowsPerSubTile(plan.Kernel));
        Assert.True((long)plan.RowsPerSlab * plan.SlabCount >= rows, "slabs must cover the catalog");
        Assert.True((long)plan.RowsPerSlab * (plan.SlabCount - 1) < rows, "no empty slab");
        Assert.Equal(KernelGeometry.NextPowerOfTwo(k), plan.KPow2);
        var queriesPerBlock = KernelGeometry.QueriesPerBlock(plan.Kernel);
        var groups = (queries + queriesPerBlock - 1) / queriesPerBlock;
        Assert.Equal((long)groups * plan.SlabCount, plan.Blocks);
        // At most a few waves of blocks (or one slab per group when the groups alone fill them), so the candidates
        // written per query stay small next to the catalog (the score matrix is never written).
        var wave = (long)sms * 2;
        Assert.True(plan.Blocks <= Math.Max(SearchPlanner.MaxWaves * wave, (long)groups * 2 * SearchPlanner.MaxWaves));
    }

    [Theory]
    [InlineData(1, 10, 132, 2)]        // batch 1: one slab per resident block
    [InlineData(64, 10, 132, 2)]
    [InlineData(1024, 10, 132, 2)]     // 32 groups: 8 slabs, not the 17 of "four blocks per SM"
    [InlineData(1024, 1000, 132, 3)]   // the wide kernel: 128 groups
    [InlineData(40, 10, 108, 1)]
    public void Grids_fill_whole_waves(int queries, int k, int sms, int blocksPerSm)
    {
        var plan = SearchPlanner.PlanScan(10_000_000, 384, queries, k, ScanDevice.Uniform(sms, blocksPerMultiprocessor: blocksPerSm));
        var wave = (long)sms * blocksPerSm;
        var waves = (plan.Blocks + wave - 1) / wave;
        var queriesPerBlock = KernelGeometry.QueriesPerBlock(plan.Kernel);
        var groups = (queries + queriesPerBlock - 1) / queriesPerBlock;
        // The last wave is short by less than one slab's worth of groups: no wave runs mostly empty.
        Assert.True(waves * wave - plan.Blocks < groups || waves * wave - plan.Blocks < wave / 10,
            $"{plan.Blocks} blocks in {waves} waves of {wave}");
    }

    [Fact]
    public void The_planner_cuts_a_batch_of_1024_into_one_full_wave_instead_of_three()
    {
        // 132 SMs, two tensor-core blocks each: 264 at once. 32 groups x 8 slabs = 256 blocks, all in one wave.
        Assert.Equal(8, SearchPlanner.WholeWaveSlabs(5_000_000, KernelGeometry.MmaStep, groups: 32, wave: 264));
        // Compare: 17 slabs (544 blocks) need three waves of slabs about half as long — 1.4 times the time.
        var time = (int slabs) => (32L * slabs + 263) / 264 * ((5_000_000 / slabs + 127) / 128);
        Assert.True(time(17) > 1.3 * time(8));
    }

    [Theory]
    [InlineData(16, 10, 384, 128, 128, 1024, ScanKernel.TensorCores)]
    [InlineData(63, 128, 384, 128, 128, 1024, ScanKernel.TensorCores)]        // not yet a 64-query block
    [InlineData(64, 10, 384, 128, 128, 1024, ScanKernel.TensorCoresLarge)]    // sm_90: 64 queries per block from batch 64
    [InlineData(1024, 128, 384, 128, 128, 1024, ScanKernel.TensorCoresLarge)]
    [InlineData(1024, 64, 384, 128, 64, 1024, ScanKernel.TensorCoresLarge)]   // sm_80: 64 queries' lists fit up to k = 64,
    [InlineData(1024, 100, 384, 128, 64, 1024, ScanKernel.TensorCores)]       // beyond that 32 queries per block
    [InlineData(15, 10, 384, 128, 128, 1024, ScanKernel.Stream)]              // too few queries to feed the tensor cores
    [InlineData(64, 129, 384, 128, 128, 1024, ScanKernel.TensorCoresWide)]    // lists too wide for 32 queries per block: 8
    [InlineData(64, 1024, 384, 128, 128, 1024, ScanKernel.TensorCoresWide)]
    [InlineData(64, 10, 384, 128, 0, 512, ScanKernel.TensorCores)]            // sm_86/89: no room for 64 queries per block,
    [InlineData(64, 1000, 384, 128, 0, 512, ScanKernel.Stream)]               // and shared memory stops at k = 512
    [InlineData(64, 64, 384, 64, 0, 512, ScanKernel.TensorCores)]             // sm_75: 32 queries' lists fit up to k = 64,
    [InlineData(64, 100, 384, 64, 0, 512, ScanKernel.TensorCoresWide)]        // 8 queries' up to 512,
    [InlineData(64, 600, 384, 64, 0, 512, ScanKernel.Stream)]                 // and beyond that each query streams
    [InlineData(64, 10, 384, 0, 0, 0, ScanKernel.Stream)]                     // no tensor-core kernels
    [InlineData(64, 10, 392, 128, 128, 1024, ScanKernel.Stream)]              // dim not a multiple of 16
    [InlineData(64, 10, 768, 128, 128, 1024, ScanKernel.Stream)]              // the block's queries would not fit in shared memory beside the lists
    public void The_kernel_follows_batch_k_dim_and_the_device(int queries, int k, int dim, int mmaMaxK, int largeMaxK, int wideMaxK, ScanKernel expected) =>
        Assert.Equal(expected, SearchPlanner.ChooseKernel(queries, k, dim, new ScanDevice(132, mmaMaxK, largeMaxK, wideMaxK, (_, _) => 2)));

    [Theory]
    [InlineData(10, 384, ScanKernel.TensorCoresLarge)]   // 86 KB per block: two per SM
    [InlineData(32, 384, ScanKernel.TensorCoresLarge)]
    [InlineData(64, 384, ScanKernel.TensorCoresLarge)]   // 101 KB: still two (lists of 1.5K slots)
    [InlineData(128, 384, ScanKernel.TensorCores)]       // 149 KB: one per SM, so 32 queries per block (74 KB, three per SM)
    [InlineData(128, 64, ScanKernel.TensorCoresLarge)]   // a shorter vector leaves room for two
    public void Sixty_four_queries_per_block_only_where_two_blocks_fit_an_SM(int k, int dim, ScanKernel expected)
    {
        // An H200 by shared memory: 228 KiB per SM, 1 KiB reserved per block.
        var h200 = new ScanDevice(132, 128, 128, 1024, (_, sharedBytes) => 233_472 / (sharedBytes + 1024));
        Assert.Equal(expected, SearchPlanner.ChooseKernel(1024, k, dim, h200));
    }

    [Theory]
    [InlineData(232_448, 128, 128, 1024)]   // sm_90: 227 KiB per block
    [InlineData(166_912, 128, 64, 1024)]    // sm_80: 163 KiB
    [InlineData(101_376, 128, 0, 512)]      // sm_86/89: 99 KiB
    [InlineData(65_536, 64, 0, 512)]        // sm_75 (T4): 64 KiB
    public void The_widest_lists_follow_the_devices_shared_memory(int maxSharedPerBlock, int mmaMaxK, int largeMaxK, int wideMaxK)
    {
        Assert.Equal(mmaMaxK, KernelGeometry.MmaMaxKFor(maxSharedPerBlock));
        Assert.Equal(largeMaxK, KernelGeometry.MmaLargeMaxKFor(maxSharedPerBlock));
        Assert.Equal(wideMaxK, KernelGeometry.MmaWideMaxKFor(maxSharedPerBlock));
        Assert.True(KernelGeometry.MmaSharedBytes(KernelGeometry.MmaWideQueries, wideMaxK, KernelGeometry.MmaMaxDimension) <= maxSharedPerBlock);
        Assert.True(KernelGeometry.MmaSharedBytes(KernelGeometry.MmaWideQueries, 2 * wideMaxK, KernelGeometry.MmaMaxDimension) > maxSharedPerBlock
            || wideMaxK == KernelGeometry.MaxK);
    }

    [Fact]
    public void Shared_memory_fits_every_GPU_the_kernels_accept()
    {
        // sm_80+ allows at least 99 KiB per block when opted in (sm_86/89); the default is 48 KiB.
        Assert.True(KernelGeometry.MmaSharedBytes(KernelGeometry.MmaQueries, KernelGeometry.MmaMaxK, KernelGeometry.MmaMaxDimension) <= 99 * 1024);
        // sm_75 allows 64 KiB: 32 queries' lists up to k = 64 fit there (their buffers are not a whole sub-tile), 8 up to 512.
        Assert.True(KernelGeometry.MmaSharedBytes(KernelGeometry.MmaQueries, 64, KernelGeometry.MmaMaxDimension) <= 64 * 1024);
        Assert.True(KernelGeometry.MmaSharedBytes(KernelGeometry.MmaWideQueries, 512, KernelGeometry.MmaMaxDimension) <= 64 * 1024);
        Assert.True(KernelGeometry.StreamSharedBytes(KernelGeometry.MaxK, 384) <= 48 * 1024);
        Assert.True(KernelGeometry.MergeSharedBytes(KernelGeometry.MaxK) <= 48 * 1024);
    }

    [Theory]
    [InlineData(10, 10, new int[0])]
    [InlineData(10_560, 10, new[] { 66, 5, 1 })]
    [InlineData(1024 * 528, 1024, new[] { 33, 3, 1 })]
    [InlineData(17 * 128, 128, new[] { 2, 1 })]
    public void Merge_passes_end_with_one_list(long candidates, int k, int[] expected) =>
        Assert.Equal(expected, SearchPlanner.MergePasses(candidates, k));
}
