namespace MediaGateway.Engine.Kernels.Cuda;

/// <summary>
/// What the search planner needs to know about the device and its loaded kernels.
/// </summary>
/// <param name="Multiprocessors">The device's SMs.</param>
/// <param name="MmaMaxK">The largest k <c>mg_topk_mma</c> (32 queries per block) takes here: 128 from sm_80 on, 64 on sm_75 (64 KiB of
/// shared memory per block), 0 where the tensor-core kernels are not loaded.</param>
/// <param name="MmaLargeMaxK">The largest k <c>mg_topk_mma_large</c> (64 queries per block) takes here: 128 on sm_90, 64 on sm_80, 0 where its
/// lists do not fit (sm_86/89, sm_75) or the tensor-core kernels are not loaded. The benchmark sets it to 0 to time the 32-query kernel
/// on the same batch.</param>
/// <param name="MmaWideMaxK">The largest k <c>mg_topk_mma_wide</c> (8 queries per block) takes here: up to 1,024 as the device's shared
/// memory allows, 0 where the tensor-core kernels are not loaded.</param>
/// <param name="BlocksPerMultiprocessor">How many blocks of a kernel one SM runs at once with that many bytes of dynamic shared
/// memory: the driver's occupancy calculator (registers, shared memory, threads) on a GPU.</param>
public sealed record ScanDevice(int Multiprocessors, int MmaMaxK, int MmaLargeMaxK, int MmaWideMaxK, Func<ScanKernel, int, int> BlocksPerMultiprocessor)
{
    /// <summary>An sm_90-like device where every kernel runs <paramref name="blocksPerMultiprocessor"/> blocks per SM (tests, estimates).</summary>
    public static ScanDevice Uniform(int multiprocessors, int blocksPerMultiprocessor = 2) =>
        new(multiprocessors, KernelGeometry.MmaMaxK, KernelGeometry.MmaMaxK, KernelGeometry.MaxK, (_, _) => blocksPerMultiprocessor);
}
