namespace MediaGateway.Engine.Kernels.Cuda;

/// <summary>
/// What the search planner needs to know about the device and its loaded kernels.
/// </summary>
/// <param name="Multiprocessors">The device's SMs.</param>
/// <param name="TensorCoreMaxK">The largest k the tensor-core kernels take on this device (0 where they are not loaded, as on sm_75):
/// 128 with 32 queries per block, up to 1,024 with 8 where the device allows the shared memory.</param>
/// <param name="BlocksPerMultiprocessor">How many blocks of a kernel one SM runs at once with that many bytes of dynamic shared
/// memory: the driver's occupancy calculator (registers, shared memory, threads) on a GPU.</param>
public sealed record ScanDevice(int Multiprocessors, int TensorCoreMaxK, Func<ScanKernel, int, int> BlocksPerMultiprocessor)
{
    /// <summary>A device where every kernel runs <paramref name="blocksPerMultiprocessor"/> blocks per SM (tests, estimates).</summary>
    public static ScanDevice Uniform(int multiprocessors, int tensorCoreMaxK = KernelGeometry.MaxK, int blocksPerMultiprocessor = 2) =>
        new(multiprocessors, tensorCoreMaxK, (_, _) => blocksPerMultiprocessor);
}
