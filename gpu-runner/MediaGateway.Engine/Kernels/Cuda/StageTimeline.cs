namespace MediaGateway.Engine.Kernels.Cuda;

/// <summary>
/// Where a search's device time goes, from CUDA events recorded on the backend's stream between its stages (query
/// upload, scan kernel, merge passes, result download), read after the search has synchronised. For the benchmark
/// (scripts/device-check.sh breaks the end-to-end time down with it); a serving search records none.
/// Not thread-safe: the backend records under its lock, and the reader collects after the search returned.
/// </summary>
internal sealed class StageTimeline : IDisposable
{
    private readonly List<IntPtr> _events = [];
    private readonly List<string?> _stages = [];
    private int _recorded;

    /// <summary>
    /// Records an event on the device's stream that ends <paramref name="stage"/> (the time since the previous event is
    /// counted to it), or with null marks a start (the time before it is not counted).
    /// </summary>
    public void Record(CudaDevice device, string? stage)
    {
        if (_recorded == _events.Count)
        {
            CudaDriver.Check(CudaDriver.cuEventCreate(out var created, 0), "cuEventCreate");
            _events.Add(created);
            _stages.Add(null);
        }
        CudaDriver.Check(CudaDriver.cuEventRecord(_events[_recorded], device.Stream), "cuEventRecord", stage ?? "start");
        _stages[_recorded++] = stage;
    }

    /// <summary>Milliseconds per stage since the last call, summed over repeats (several slices or calls); then starts afresh.</summary>
    public Dictionary<string, double> Collect()
    {
        var totals = new Dictionary<string, double>();
        for (var i = 1; i < _recorded; i++)
        {
            if (_stages[i] is not { } stage) continue;
            CudaDriver.Check(CudaDriver.cuEventElapsedTime(out var ms, _events[i - 1], _events[i]), "cuEventElapsedTime", stage);
            totals[stage] = totals.GetValueOrDefault(stage) + ms;
        }
        _recorded = 0;
        return totals;
    }

    public void Dispose()
    {
        foreach (var cudaEvent in _events) CudaDriver.cuEventDestroy_v2(cudaEvent);
        _events.Clear();
    }
}
