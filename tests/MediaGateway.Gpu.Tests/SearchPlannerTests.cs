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
    public void Slabs_cover_every_row_in_whole_sub_tiles(int rows, int queries, int k, int sms)
    {
        var plan = SearchPlanner.PlanScan(rows, 384, queries, k, sms);
        var step = plan.TensorCores ? KernelGeometry.MmaStep : KernelGeometry.StreamStep;
        Assert.Equal(0, plan.RowsPerSlab % step);
        Assert.True((long)plan.RowsPerSlab * plan.SlabCount >= rows, "slabs must cover the catalog");
        Assert.True((long)plan.RowsPerSlab * (plan.SlabCount - 1) < rows, "no empty slab");
        Assert.Equal(KernelGeometry.NextPowerOfTwo(k), plan.KPow2);
        var groups = plan.TensorCores ? (queries + KernelGeometry.MmaQueries - 1) / KernelGeometry.MmaQueries : queries;
        Assert.Equal((long)groups * plan.SlabCount, plan.Blocks);
        // Candidates written per query stay small next to the catalog (the score matrix is never written).
        Assert.True(plan.CandidatesPerQuery <= Math.Max((long)k * sms * SearchPlanner.BlocksPerMultiprocessor, k));
    }

    [Theory]
    [InlineData(16, 10, 384, true)]
    [InlineData(1024, 128, 384, true)]
    [InlineData(15, 10, 384, false)]     // too few queries to feed the tensor cores
    [InlineData(64, 129, 384, false)]    // lists too wide for 32 queries per block
    [InlineData(64, 10, 392, false)]     // dim not a multiple of 16
    [InlineData(64, 10, 768, false)]     // 32 queries of this size do not fit in shared memory beside the lists
    public void Tensor_cores_are_used_for_batches_with_small_k(int queries, int k, int dim, bool expected) =>
        Assert.Equal(expected, SearchPlanner.UseTensorCores(queries, k, dim));

    [Fact]
    public void Shared_memory_fits_every_GPU_the_kernels_accept()
    {
        // sm_80+ allows at least 99 KiB per block when opted in (sm_86/89); the default is 48 KiB.
        Assert.True(KernelGeometry.MmaSharedBytes(KernelGeometry.MmaQueries, KernelGeometry.MmaMaxK, KernelGeometry.MmaMaxDimension) <= 99 * 1024);
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
