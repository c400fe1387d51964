namespace MediaGateway.Engine.Kernels.Cuda;

/// <summary>How one top-k launch over a catalog slice is cut into blocks.</summary>
public sealed record ScanPlan(ScanKernel Kernel, int K, int KPow2, int RowsPerSlab, int SlabCount, long Blocks, int Threads, int SharedBytes)
{
    /// <summary>Whether the scan runs on the tensor cores (and so rounds its queries to fp16).</summary>
    public bool TensorCores => Kernel != ScanKernel.Stream;

    /// <summary>Candidates each query has after the scan: one list of k per slab.</summary>
    public long CandidatesPerQuery => (long)SlabCount * K;
}

/// <summary>
/// Chooses the kernel and the slab size for a launch, and the merge passes after it. Pure arithmetic,
/// so it is unit-tested without a GPU.
///
/// Slabs: each block scans one slab of rows and keeps that slab's k best. Every block of a launch does the same
/// work, so the launch takes (waves of blocks) × (time of one slab): a grid one block past a whole wave of the
/// device costs a whole extra slab's time. The planner therefore picks the slab count that minimises that product
/// — grids of whole waves — and, of equal ones, the fewest slabs: fewer candidates to merge, and longer slabs let
/// the running thresholds settle.
/// </summary>
public static class SearchPlanner
{
    /// <summary>Most waves of blocks the planner considers cutting a catalog into (more only adds candidates).</summary>
    public const int MaxWaves = 4;

    /// <summary>Each merge pass reduces a query's candidates by about this factor.</summary>
    public const int MergeFanIn = 16;

    /// <summary>
    /// The tensor-core kernels need 16 queries to be worth it, dim a multiple of 16 and small enough for the block's
    /// queries to sit in shared memory beside the lists, and k within the lists the device's shared memory allows:
    /// 64 queries per block up to <see cref="ScanDevice.MmaLargeMaxK"/> once the batch fills such a block and two such blocks
    /// fit on an SM, else 32 up to <see cref="ScanDevice.MmaMaxK"/>, else 8 up to <see cref="ScanDevice.MmaWideMaxK"/>. Why 64:
    /// each query group reads the whole catalog (through L2 when the groups of a slab run together), and at batch 1,024
    /// those reads, 32 groups' worth, move more bytes per MMA than L2 delivers; 64 queries per block halve them, at the
    /// cost of fewer blocks per SM — not below two, or a block's barriers and folds would leave its SM idle. Where the
    /// 64-query kernel runs, <see cref="BatchKernelTuner"/> has timed it against the 32-query one on the device (a device
    /// where 32 won has <see cref="ScanDevice.MmaLargeMaxK"/> = 0).
    /// </summary>
    public static ScanKernel ChooseKernel(int queryCount, int k, int dim, ScanDevice device)
    {
        if (queryCount < 16 || dim % 16 != 0 || dim > KernelGeometry.MmaMaxDimension) return ScanKernel.Stream;
        if (queryCount >= KernelGeometry.MmaLargeQueries && k <= device.MmaLargeMaxK
            && device.BlocksPerMultiprocessor(ScanKernel.TensorCoresLarge,
                KernelGeometry.SharedBytes(ScanKernel.TensorCoresLarge, KernelGeometry.NextPowerOfTwo(k), dim)) >= 2)
            return ScanKernel.TensorCoresLarge;
        if (k <= device.MmaMaxK) return ScanKernel.TensorCores;
        return k <= device.MmaWideMaxK ? ScanKernel.TensorCoresWide : ScanKernel.Stream;
    }

    public static ScanPlan PlanScan(int rows, int dim, int queryCount, int k, ScanDevice device)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(queryCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, KernelGeometry.MaxK);
        var kPow2 = KernelGeometry.NextPowerOfTwo(k);
        var kernel = ChooseKernel(queryCount, k, dim, device);
        var step = KernelGeometry.RowsPerSubTile(kernel);
        var queriesPerBlock = KernelGeometry.QueriesPerBlock(kernel);
        var groups = (queryCount + queriesPerBlock - 1) / queriesPerBlock;
        var shared = KernelGeometry.SharedBytes(kernel, kPow2, dim);
        var wave = (long)Math.Max(1, device.Multiprocessors) * Math.Max(1, device.BlocksPerMultiprocessor(kernel, shared));
        var slabs = WholeWaveSlabs(rows, step, groups, wave);
        // Whole sub-tiles per slab, then recount: rounding up can leave fewer slabs than asked for.
        var rowsPerSlab = RowsPerSlab(rows, step, slabs);
        slabs = (rows + rowsPerSlab - 1) / rowsPerSlab;
        return new ScanPlan(kernel, k, kPow2, rowsPerSlab, slabs, (long)groups * slabs, KernelGeometry.Threads(kernel), shared);
    }

    /// <summary>
    /// The slab count whose launch takes the least time, counted as waves × sub-tiles per slab; of those within
    /// <see cref="SlabTolerance"/> of the least, the fewest slabs (the count ignores the per-slab costs: candidates to
    /// merge, thresholds that settle later). E.g. 32 groups (1,024 queries) on 132 SMs × 2 blocks: 8 slabs fill one
    /// wave of 264 (256 blocks); the 17 that "about four blocks per SM" gave were 544 blocks, three waves, the last
    /// 6 % full — 1.4 times as long.
    /// </summary>
    public static int WholeWaveSlabs(int rows, int step, int groups, long wave)
    {
        var maxSlabs = (rows + step - 1) / step;
        var limit = (int)Math.Min(maxSlabs, Math.Max(2L * MaxWaves, (MaxWaves * wave + groups - 1) / groups));
        long Cost(int slabs) => ((long)groups * slabs + wave - 1) / wave * (RowsPerSlab(rows, step, slabs) / step);
        var least = long.MaxValue;
        for (var slabs = 1; slabs <= limit; slabs++) least = Math.Min(least, Cost(slabs));
        var slabCount = 1;
        while (Cost(slabCount) > least * SlabTolerance) slabCount++;
        return slabCount;
    }

    /// <summary>How much longer than the least a launch may take to use fewer slabs.</summary>
    public const double SlabTolerance = 1.05;

    private static int RowsPerSlab(int rows, int step, int slabs)
    {
        var maxSlabs = (rows + step - 1) / step;
        return (int)Math.Min((long)((rows + slabs - 1) / slabs + step - 1) / step * step, (long)maxSlabs * step);
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
