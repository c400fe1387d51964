namespace MediaGateway.Engine.Kernels.Cuda;

/// <summary>
/// Mirrors native/include/mg_geometry.h (and MG_MAX_K from mg_types.h): block sizes, rows per sub-tile
/// and the dynamic shared memory each kernel needs. The layout test compares these with a gcc probe.
/// </summary>
public static class KernelGeometry
{
    public const int MaxK = 1024;

    public const int StreamThreads = 256;
    public const int StreamStep = StreamThreads / 32 * 32;

    public const int MmaThreads = 256;
    public const int MmaQueries = 32;
    public const int MmaStep = MmaThreads / 32 * 16;
    public const int MmaMaxK = 128;
    public const int MmaLargeQueries = 64;
    public const int MmaWideQueries = 8;
    public const int MmaListBuffer = 32;
    public const int MmaMaxDimension = 512;

    public const int MergeThreads = 256;
    public const int MergeStep = MergeThreads;

    /// <summary>Threads per block of the row-wise kernels (normalise, convert) and the re-rank kernel.</summary>
    public const int RowThreads = 256;

    /// <summary>Slots per running list: the K best and a buffer of at least <paramref name="buffer"/>, half of K once K exceeds it (mg_geometry.h).</summary>
    public static int RunningWidth(int kPow2, int buffer) => kPow2 > buffer ? kPow2 + kPow2 / 2 : 2 * buffer;

    public static int RunningBytes(int lists, int kPow2, int buffer) => lists * (RunningWidth(kPow2, buffer) * 8 + sizeof(float) + sizeof(int));

    public static int StreamSharedBytes(int kPow2, int dim) => RunningBytes(1, kPow2, StreamStep) + dim * sizeof(float);

    /// <summary>fp16 per staged query row: dim padded to 64 bytes past a multiple of 128 (no bank conflicts on 16-byte loads).</summary>
    public static int MmaQueryStride(int dim) => dim + (64 - dim * 2 % 128 + 128) % 128 / 2;

    public static int MmaStagedOffset(int queries, int kPow2) => (RunningBytes(queries, kPow2, MmaListBuffer) + queries * sizeof(int) + 15) / 16 * 16;

    public static int MmaSharedBytes(int queries, int kPow2, int dim) => MmaStagedOffset(queries, kPow2) + queries * MmaQueryStride(dim) * 2;

    public static int MergeSharedBytes(int kPow2) => RunningBytes(1, kPow2, MergeStep);

    public static int QueriesPerBlock(ScanKernel kernel) => kernel switch
    {
        ScanKernel.TensorCores => MmaQueries,
        ScanKernel.TensorCoresLarge => MmaLargeQueries,
        ScanKernel.TensorCoresWide => MmaWideQueries,
        _ => 1,
    };

    public static int RowsPerSubTile(ScanKernel kernel) => kernel == ScanKernel.Stream ? StreamStep : MmaStep;

    public static int Threads(ScanKernel kernel) => kernel == ScanKernel.Stream ? StreamThreads : MmaThreads;

    public static int SharedBytes(ScanKernel kernel, int kPow2, int dim) =>
        kernel == ScanKernel.Stream ? StreamSharedBytes(kPow2, dim) : MmaSharedBytes(QueriesPerBlock(kernel), kPow2, dim);

    /// <summary>
    /// The largest k <c>mg_topk_mma</c> (32 queries per block) takes on a device allowing <paramref name="maxSharedPerBlock"/>
    /// bytes per block: 128 from sm_80 on, 64 on sm_75 (64 KiB), 0 where not even that fits.
    /// </summary>
    public static int MmaMaxKFor(int maxSharedPerBlock) => WidestListsFitting(MmaQueries, MmaMaxK, maxSharedPerBlock);

    /// <summary>
    /// The largest k <c>mg_topk_mma_large</c> (64 queries per block) takes: 128 on sm_90 (227 KiB per block), 64 on sm_80
    /// (163 KiB), 0 on sm_86/89 and sm_75, where not even 64 lists of 64 slots fit beside 64 staged queries.
    /// </summary>
    public static int MmaLargeMaxKFor(int maxSharedPerBlock) => WidestListsFitting(MmaLargeQueries, MmaMaxK, maxSharedPerBlock);

    /// <summary>
    /// The largest k <c>mg_topk_mma_wide</c> (8 queries per block) takes: 1,024 where 8 lists of 1,536 slots fit (sm_80:
    /// 163 KiB per block, sm_90: 227 KiB), 512 on sm_86/89 (99 KiB) and sm_75 (64 KiB).
    /// </summary>
    public static int MmaWideMaxKFor(int maxSharedPerBlock) => WidestListsFitting(MmaWideQueries, MaxK, maxSharedPerBlock);

    /// <summary>The largest power of two up to <paramref name="largestK"/> whose lists for that many queries fit at the widest dimension; 0 if none.</summary>
    private static int WidestListsFitting(int queries, int largestK, int maxSharedPerBlock)
    {
        var k = largestK;
        while (k > 0 && MmaSharedBytes(queries, k, MmaMaxDimension) > maxSharedPerBlock) k /= 2;
        return k;
    }

    public static int NextPowerOfTwo(int k) => k <= 1 ? 1 : (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)k);
}
