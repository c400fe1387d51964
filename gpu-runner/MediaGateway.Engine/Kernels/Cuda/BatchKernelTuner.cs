using System.Globalization;
using System.Text;

namespace MediaGateway.Engine.Kernels.Cuda;

/// <summary>
/// Chooses, once per loaded catalog, which tensor-core kernel takes batches of 64 or more: 64 queries per block
/// (<see cref="ScanKernel.TensorCoresLarge"/>: half the catalog reads from L2) or 32 (<see cref="ScanKernel.TensorCores"/>:
/// more blocks per SM). Which is faster depends on the device — L2 bandwidth against shared memory and registers per SM —
/// and on k, whose lists take the shared memory that decides how many blocks an SM runs; so it is timed there, for each
/// list size the 64-query kernel can take, rather than guessed. Both give the same answers (each lane sums the same
/// products in the same order), so the choice changes only the time.
/// </summary>
internal static class BatchKernelTuner
{
    /// <summary>
    /// The k of each timing, smallest first: one per list size, each size's largest k. Lists have the same size for every
    /// k up to <see cref="KernelGeometry.MmaListBuffer"/> (64 slots), then grow with k's next power of two (96 slots at
    /// k = 33..64, 192 at 65..128: <see cref="KernelGeometry.RunningWidth"/>). The engine's own batches ask k = 50 and up
    /// (four times the results, at least 50): the 96-slot lists, timed at k = 64.
    /// </summary>
    public static IEnumerable<int> ListSizes(ScanDevice device, int batch, int dim)
    {
        for (var k = KernelGeometry.MmaListBuffer; k <= KernelGeometry.MmaMaxK; k *= 2)
        {
            if (SearchPlanner.ChooseKernel(batch, k, dim, device) != ScanKernel.TensorCoresLarge) yield break;
            yield return k;
        }
    }

    /// <param name="device">The planner's view with every kernel the device has.</param>
    /// <param name="tuning">When and how to time.</param>
    /// <param name="rows">The loaded catalog's rows.</param>
    /// <param name="dim">The catalog's vector length: whether the 64-query kernel takes the tuning batch at all depends on it.</param>
    /// <param name="scanMilliseconds">Times the scan of the tuning batch at a k with the planner seeing the given device.</param>
    /// <returns>The device view the planner should use — the 64-query kernel up to the largest k where it and every smaller
    /// list size were faster (<see cref="ScanDevice.MmaLargeMaxK"/>) — and a line for the log saying what was chosen and why.</returns>
    public static (ScanDevice Device, string Summary) Choose(ScanDevice device, KernelTuning tuning, int rows, int dim, Func<ScanDevice, int, double> scanMilliseconds)
    {
        if (device.MmaLargeMaxK == 0)
            return (device, device.MmaMaxK > 0 ? "batches: 32 queries per block (no room for 64 in this device's shared memory)" : "batches: no 32- or 64-query tensor-core kernel on this device");
        var sizes = ListSizes(device, tuning.Batch, dim).ToList();
        // No list size of a batch of this dimension runs on the 64-query kernel (not a tensor-core dimension, or one block
        // per SM): nothing to choose between, and timing would only cost load time.
        if (sizes.Count == 0)
            return (device, string.Create(CultureInfo.InvariantCulture,
                $"batches: not 64 queries per block at d = {dim} ({(SearchPlanner.ChooseKernel(tuning.Batch, 1, dim, device) == ScanKernel.Stream ? "not a tensor-core dimension" : "two such blocks do not fit an SM")})"));
        if (rows < tuning.MinRows)
            return (device, string.Create(CultureInfo.InvariantCulture, $"batches of 64+: 64 queries per block up to k = {sizes[^1]} (not timed: the catalog has fewer than {tuning.MinRows:N0} rows)"));

        // Larger lists leave fewer blocks per SM, which the 64-query kernel feels first: from the first list size where
        // 32 queries per block win, they take every larger one too, untimed.
        var narrow = device with { MmaLargeMaxK = 0 };
        var timings = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"scan of {tuning.Batch:N0} queries over {rows:N0} rows, ms with 64 queries per block / 32:"));
        var largeMaxK = 0;
        foreach (var k in sizes)
        {
            double large, small;
            try
            {
                (large, small) = (scanMilliseconds(device, k), scanMilliseconds(narrow, k));
            }
            catch (InsufficientDeviceMemoryException e)
            {
                // The tuning batch's buffers at this k do not fit beside the catalog: keep what the smaller sizes showed, or,
                // where none was timed, the untimed choice.
                if (k == sizes[0])
                    return (device, $"batches of 64+: 64 queries per block up to k = {sizes[^1]} (not timed: {e.Message})");
                timings.Append(CultureInfo.InvariantCulture, $" k = {k}: not timed ({e.Message});");
                break;
            }
            timings.Append(CultureInfo.InvariantCulture, $" k = {k}: {large:F3} / {small:F3};");
            if (large > small) break;
            largeMaxK = k;
        }
        timings.Length--;   // the last ';'
        if (largeMaxK == 0) return (narrow, $"batches of 64+: 32 queries per block ({timings})");
        var above = largeMaxK < sizes[^1] ? ", 32 above" : "";
        return (device with { MmaLargeMaxK = largeMaxK },
            string.Create(CultureInfo.InvariantCulture, $"batches of 64+: 64 queries per block up to k = {largeMaxK}{above} ({timings})"));
    }
}
