using System.Text;

namespace MediaGateway.Engine.Kernels.Cuda;

/// <summary>What the runner needs to know about a GPU.</summary>
public sealed record CudaDeviceInfo(int Ordinal, string Name, int Major, int Minor, int Multiprocessors, long TotalMemory,
    int MaxSharedPerBlockOptIn, int DriverVersion, int MemoryClockKHz, int BusWidthBits)
{
    public string Architecture => $"sm_{Major}{Minor}";

    /// <summary>e.g. "12.8" from 12080.</summary>
    public string DriverVersionText => $"{DriverVersion / 1000}.{DriverVersion % 1000 / 10}";

    /// <summary>Theoretical DRAM bandwidth from the memory clock and bus width (DDR: two transfers per clock).</summary>
    public double PeakBandwidthGBps => 2.0 * MemoryClockKHz * 1e3 * (BusWidthBits / 8.0) / 1e9;
}

/// <summary>
/// One GPU's primary context and a stream: device queries, memory, module loading and launches.
/// Every call checks its CUresult, so a failure surfaces as a <see cref="CudaException"/> naming the call.
/// The primary context is made current on the calling thread before work, since the runner may call
/// from any thread-pool thread.
/// </summary>
internal sealed unsafe class CudaDevice : IDisposable
{
    private readonly int _device;
    private readonly IntPtr _context;
    private bool _disposed;

    private CudaDevice(CudaDeviceInfo info, int device, IntPtr context, IntPtr stream) => (Info, _device, _context, Stream) = (info, device, context, stream);

    public CudaDeviceInfo Info { get; }
    public IntPtr Stream { get; }

    /// <summary>Initialises the driver and opens device <paramref name="ordinal"/>.</summary>
    public static CudaDevice Open(int ordinal)
    {
        CudaDriver.Check(CudaDriver.cuInit(0), "cuInit");
        CudaDriver.Check(CudaDriver.cuDriverGetVersion(out var driverVersion), "cuDriverGetVersion");
        CudaDriver.Check(CudaDriver.cuDeviceGetCount(out var count), "cuDeviceGetCount");
        if (ordinal >= count) throw new InvalidOperationException($"CUDA device {ordinal} requested but the driver reports {count} device(s).");
        CudaDriver.Check(CudaDriver.cuDeviceGet(out var device, ordinal), "cuDeviceGet");
        var nameBytes = stackalloc byte[256];
        CudaDriver.Check(CudaDriver.cuDeviceGetName(nameBytes, 256, device), "cuDeviceGetName");
        var name = Encoding.UTF8.GetString(nameBytes, new ReadOnlySpan<byte>(nameBytes, 256).IndexOf((byte)0) is var n and >= 0 ? n : 256);
        int Attribute(int attribute, string what)
        {
            CudaDriver.Check(CudaDriver.cuDeviceGetAttribute(out var value, attribute, device), $"cuDeviceGetAttribute({what})");
            return value;
        }
        CudaDriver.Check(CudaDriver.cuDeviceTotalMem_v2(out var total, device), "cuDeviceTotalMem_v2");
        var info = new CudaDeviceInfo(ordinal, name,
            Attribute(CudaDriver.AttributeComputeCapabilityMajor, "COMPUTE_CAPABILITY_MAJOR"),
            Attribute(CudaDriver.AttributeComputeCapabilityMinor, "COMPUTE_CAPABILITY_MINOR"),
            Attribute(CudaDriver.AttributeMultiprocessorCount, "MULTIPROCESSOR_COUNT"),
            (long)total,
            Attribute(CudaDriver.AttributeMaxSharedMemoryPerBlockOptin, "MAX_SHARED_MEMORY_PER_BLOCK_OPTIN"),
            driverVersion,
            Attribute(CudaDriver.AttributeMemoryClockRateKHz, "MEMORY_CLOCK_RATE"),
            Attribute(CudaDriver.AttributeGlobalMemoryBusWidthBits, "GLOBAL_MEMORY_BUS_WIDTH"));
        CudaDriver.Check(CudaDriver.cuDevicePrimaryCtxRetain(out var context, device), "cuDevicePrimaryCtxRetain");
        try
        {
            CudaDriver.Check(CudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
            CudaDriver.Check(CudaDriver.cuStreamCreate(out var stream, 0), "cuStreamCreate");
            return new CudaDevice(info, device, context, stream);
        }
        catch
        {
            CudaDriver.cuDevicePrimaryCtxRelease_v2(device);
            throw;
        }
    }

    public void MakeCurrent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CudaDriver.Check(CudaDriver.cuCtxSetCurrent(_context), "cuCtxSetCurrent");
    }

    public (long Free, long Total) MemoryInfo()
    {
        CudaDriver.Check(CudaDriver.cuMemGetInfo_v2(out var free, out var total), "cuMemGetInfo_v2");
        return ((long)free, (long)total);
    }

    public DeviceBuffer Allocate(long bytes, string purpose)
    {
        CudaDriver.Check(CudaDriver.cuMemAlloc_v2(out var pointer, (nuint)Math.Max(bytes, 1)), "cuMemAlloc_v2",
            $"{bytes / (1024.0 * 1024.0):F1} MiB for {purpose}");
        return new DeviceBuffer(pointer, bytes);
    }

    public void Upload<T>(ReadOnlySpan<T> source, ulong destination) where T : unmanaged
    {
        if (source.IsEmpty) return;
        fixed (T* p = source)
            CudaDriver.Check(CudaDriver.cuMemcpyHtoD_v2(destination, p, (nuint)(source.Length * sizeof(T))), "cuMemcpyHtoD_v2");
    }

    public void Download<T>(ulong source, Span<T> destination) where T : unmanaged
    {
        if (destination.IsEmpty) return;
        fixed (T* p = destination)
            CudaDriver.Check(CudaDriver.cuMemcpyDtoH_v2(p, source, (nuint)(destination.Length * sizeof(T))), "cuMemcpyDtoH_v2");
    }

    public void CopyDeviceToDevice(ulong source, ulong destination, long bytes) =>
        CudaDriver.Check(CudaDriver.cuMemcpyDtoD_v2(destination, source, (nuint)bytes), "cuMemcpyDtoD_v2");

    public IntPtr LoadModule(byte[] image, string name)
    {
        fixed (byte* p = image)
        {
            CudaDriver.Check(CudaDriver.cuModuleLoadData(out var module, p), $"cuModuleLoadData({name})");
            return module;
        }
    }

    public static IntPtr GetFunction(IntPtr module, string name)
    {
        CudaDriver.Check(CudaDriver.cuModuleGetFunction(out var function, module, name), $"cuModuleGetFunction({name})");
        return function;
    }

    /// <summary>Allows a kernel more than the default 48 KiB of dynamic shared memory (sm_80+ opt-in).</summary>
    public static void SetMaxDynamicShared(IntPtr function, int bytes, string name) =>
        CudaDriver.Check(CudaDriver.cuFuncSetAttribute(function, CudaDriver.FunctionAttributeMaxDynamicSharedSizeBytes, bytes),
            $"cuFuncSetAttribute({name}, MAX_DYNAMIC_SHARED_SIZE_BYTES={bytes})");

    /// <summary>Blocks of a kernel one SM runs at once (the driver's occupancy calculator: registers, shared memory, threads).</summary>
    public static int BlocksPerMultiprocessor(IntPtr function, string name, int threads, int sharedBytes)
    {
        CudaDriver.Check(CudaDriver.cuOccupancyMaxActiveBlocksPerMultiprocessor(out var blocks, function, threads, (nuint)sharedBytes),
            $"cuOccupancyMaxActiveBlocksPerMultiprocessor({name}, {threads} threads, {sharedBytes} B shared)");
        return blocks;
    }

    /// <summary>Launches a kernel whose only parameter is <paramref name="parameters"/>, passed by value.</summary>
    public void Launch<T>(IntPtr function, string name, long blocks, int threads, int sharedBytes, T parameters) where T : unmanaged
    {
        if (blocks <= 0) return;
        if (blocks > int.MaxValue) throw new InvalidOperationException($"{name}: {blocks} blocks exceed the grid limit.");
        var args = stackalloc void*[1];
        args[0] = &parameters;
        CudaDriver.Check(CudaDriver.cuLaunchKernel(function, (uint)blocks, 1, 1, (uint)threads, 1, 1, (uint)sharedBytes, Stream, args, null),
            $"cuLaunchKernel({name}, {blocks} x {threads}, {sharedBytes} B shared)");
    }

    public void Synchronize(string after) => CudaDriver.Check(CudaDriver.cuStreamSynchronize(Stream), "cuStreamSynchronize", $"after {after}");

    /// <summary>
    /// Device-to-device copy bandwidth in GB/s (read + write counted): the practical ceiling for a scan that
    /// reads the catalog once. The benchmark reports the batch-1 search as a fraction of it.
    /// </summary>
    public double MeasureCopyBandwidth(long bytes)
    {
        using var source = Allocate(bytes, "bandwidth probe (source)");
        using var target = Allocate(bytes, "bandwidth probe (target)");
        CopyDeviceToDevice(source.Pointer, target.Pointer, bytes);
        CudaDriver.Check(CudaDriver.cuCtxSynchronize(), "cuCtxSynchronize");   // the copies run on the default stream, not ours
        const int repeats = 10;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < repeats; i++) CopyDeviceToDevice(source.Pointer, target.Pointer, bytes);
        CudaDriver.Check(CudaDriver.cuCtxSynchronize(), "cuCtxSynchronize");
        return 2.0 * bytes * repeats / clock.Elapsed.TotalSeconds / 1e9;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        CudaDriver.cuCtxSetCurrent(_context);
        CudaDriver.cuStreamDestroy_v2(Stream);
        CudaDriver.cuDevicePrimaryCtxRelease_v2(_device);
    }
}
