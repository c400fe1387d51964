namespace MediaGateway.Engine.Kernels.Cuda;

/// <summary>
/// How <see cref="BatchKernelTuner"/> times the batch kernels after a catalog is loaded: only catalogs of at least
/// <paramref name="MinRows"/> rows (below that a scan takes microseconds and the choice hardly matters), with a batch of
/// <paramref name="Batch"/> queries at each list size (<see cref="BatchKernelTuner.ListSizes"/>), each kernel run once untimed (work buffers) and then
/// <paramref name="Repeats"/> times, the fastest scan counted. Tests shrink it to run on the emulated device.
/// </summary>
internal sealed record KernelTuning(int MinRows, int Batch, int Repeats)
{
    /// <summary>Catalogs from 2^18 rows, a batch of 1,024 (the large batches the choice is for), three timed runs each.</summary>
    public static KernelTuning Default { get; } = new(262_144, 1024, 3);
}
