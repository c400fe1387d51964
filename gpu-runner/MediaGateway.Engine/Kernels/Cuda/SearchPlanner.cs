namespace MediaGateway.Engine.Kernels.Cuda;

/// <summary>How one top-k launch over a catalog slice is cut into blocks.</summary>
public sealed record ScanPlan(bool TensorCores, int K, int KPow2, int RowsPerSlab, int SlabCount, long Blocks, int Threads, int SharedBytes)
{
    /// <summary>Candidates each query has after the scan: one list of k per slab.</summary>
    public long CandidatesPerQuery => (long)SlabCount * K;
}

/// <summary>
/// Chooses the kernel and the slab size for a launch, and the merge passes after it. Pure arithmetic,
/// so it is unit-tested without a GPU.
///
/// Slabs: each block scans one slab of rows and keeps that slab's k best. More slabs spread the work
/// over more multiprocessors but leave more candidates to merge, and short slabs never let the running
/// threshold settle; so the planner aims for a few blocks per multiprocessor and no more.
/// </summary>
public static class SearchPlanner
{
    /// <summary>Blocks per multiprocessor the scans aim for (enough to hide memory latency).</summary>
    public const int BlocksPerMultiprocessor = 4;

    /// <summary>Each merge pass reduces a query's candidates by about this factor.</summary>
    public const int MergeFanIn = 16;

    /// <summary>
    /// The tensor-core kernel needs 16 queries to be worth it, k within its list width, dim a multiple of 16, and
    /// dim small enough for its 32 queries to sit in shared memory beside the lists.
    /// </summary>
    public static bool UseTensorCores(int queryCount, int k, int dim) =>
        queryCount >= 16 && k <= KernelGeometry.MmaMaxK && dim % 16 == 0 && dim <= KernelGeometry.MmaMaxDimension;

    /// <param name="tensorCoresLoaded">False on devices without the tensor-core kernel (sm_75): every batch streams.</param>
    public static ScanPlan PlanScan(int rows, int dim, int queryCount, int k, int multiprocessors, bool tensorCoresLoaded = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(queryCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, KernelGeometry.MaxK);
        var kPow2 = KernelGeometry.NextPowerOfTwo(k);
        var tensor = tensorCoresLoaded && UseTensorCores(queryCount, k, dim);
        var step = tensor ? KernelGeometry.MmaStep : KernelGeometry.StreamStep;
        var groups = tensor ? (queryCount + KernelGeometry.MmaQueries - 1) / KernelGeometry.MmaQueries : queryCount;
        var targetBlocks = (long)Math.Max(1, multiprocessors) * BlocksPerMultiprocessor;
        var maxSlabs = (rows + step - 1) / step;
        var slabs = (int)Math.Clamp((targetBlocks + groups - 1) / groups, 1, maxSlabs);
        // Whole sub-tiles per slab, then recount: rounding up can leave fewer slabs than asked for.
        var rowsPerSlab = (int)Math.Min((long)((rows + slabs - 1) / slabs + step - 1) / step * step, (long)maxSlabs * step);
        slabs = (rows + rowsPerSlab - 1) / rowsPerSlab;
        return new ScanPlan(tensor, k, kPow2, rowsPerSlab, slabs, (long)groups * slabs,
            tensor ? KernelGeometry.MmaThreads : KernelGeometry.StreamThreads,
            tensor ? KernelGeometry.MmaSharedBytes(KernelGeometry.MmaQueries, kPow2, dim) : KernelGeometry.StreamSharedBytes(kPow2, dim));
    }

    /// <summary>
    /// Output lists per query of each merge pass, until one is left; empty when the scan already left one.
    /// E.g. 1056 slabs of k = 10: 10560 candidates → 66 lists → 5 → 1.
    /// </summary>
    public static IReadOnlyList<int> MergePasses(long candidatesPerQuery, int k)
    {
        var passes = new List<int>();
        var lists = (candidatesPerQuery + k - 1) / k;
        while (lists > 1)
        {
            lists = (lists + MergeFanIn - 1) / MergeFanIn;
            passes.Add((int)lists);
        }
        return passes;
    }
}
