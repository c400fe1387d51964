using System.Globalization;

namespace MediaGateway.Engine.Kernels.Cuda;

/// <summary>
/// Chooses, once per loaded catalog, which tensor-core kernel takes batches of 64 or more: 64 queries per block
/// (<see cref="ScanKernel.TensorCoresLarge"/>: half the catalog reads from L2) or 32 (<see cref="ScanKernel.TensorCores"/>:
/// more blocks per SM). Which is faster depends on the device — L2 bandwidth against shared memory and registers per SM —
/// so it is timed there rather than guessed: the scan of one batch on each, the faster kept. Both give the same answers
/// (each lane sums the same products in the same order), so the choice changes only the time.
/// </summary>
internal static class BatchKernelTuner
{
    /// <summary>The k the tuning batch asks for: within every kernel's lists, as the batches the choice is for.</summary>
    public const int TuningK = 10;

    /// <param name="device">The planner's view with every kernel the device has.</param>
    /// <param name="tuning">When and how to time.</param>
    /// <param name="rows">The loaded catalog's rows.</param>
    /// <param name="dim">The catalog's vector length: whether the 64-query kernel takes the tuning batch at all depends on it.</param>
    /// <param name="scanMilliseconds">Times the scan of the tuning batch with the planner seeing the given device.</param>
    /// <returns>The device view the planner should use, and a line for the log saying what was chosen and why.</returns>
    public static (ScanDevice Device, string Summary) Choose(ScanDevice device, KernelTuning tuning, int rows, int dim, Func<ScanDevice, double> scanMilliseconds)
    {
        if (device.MmaLargeMaxK == 0)
            return (device, device.MmaMaxK > 0 ? "batches: 32 queries per block (no room for 64 in this device's shared memory)" : "batches: no 32- or 64-query tensor-core kernel on this device");
        // The tuning batch (k = 10) would not run on the 64-query kernel at this dimension (not a tensor-core one, or one
        // block per SM): nothing to choose between, and timing would only cost load time.
        var kernel = SearchPlanner.ChooseKernel(tuning.Batch, TuningK, dim, device);
        if (kernel != ScanKernel.TensorCoresLarge)
            return (device, string.Create(CultureInfo.InvariantCulture,
                $"batches: not 64 queries per block at d = {dim} ({(kernel == ScanKernel.Stream ? "not a tensor-core dimension" : "two such blocks do not fit an SM")})"));
        if (rows < tuning.MinRows)
            return (device, string.Create(CultureInfo.InvariantCulture, $"batches of 64+: 64 queries per block (not timed: the catalog has fewer than {tuning.MinRows:N0} rows)"));
        var narrow = device with { MmaLargeMaxK = 0 };
        var large = scanMilliseconds(device);
        var small = scanMilliseconds(narrow);
        var timings = string.Create(CultureInfo.InvariantCulture,
            $"scan of {tuning.Batch:N0} queries over {rows:N0} rows: {large:F3} ms with 64 queries per block, {small:F3} ms with 32");
        return large <= small
            ? (device, $"batches of 64+: 64 queries per block ({timings})")
            : (narrow, $"batches of 64+: 32 queries per block ({timings})");
    }
}
