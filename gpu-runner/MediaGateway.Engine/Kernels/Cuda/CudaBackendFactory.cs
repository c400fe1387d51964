using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaGateway.Engine.Kernels.Cuda;

/// <summary>
/// Creates the CUDA backend when this machine can run it: an NVIDIA driver, a device of compute
/// capability 7.5 or newer (the tensor-core kernels use mma.sync m16n8k16 from sm_80 and pairs of m16n8k8 on a
/// T4's sm_75), and NVRTC to compile the kernels for that device. Otherwise it says why in one line and the selector falls back to the CPU.
/// It never throws: every failure, including CUDA errors, becomes the reason.
/// </summary>
public sealed partial class CudaBackendFactory(ILogger<CudaBackendFactory>? logger = null) : ICudaBackendFactory
{
    private readonly IReadOnlyList<string> _kernelDefines = [];

    /// <summary>
    /// Macros to compile the kernels with, each NAME=VALUE (e.g. MG_MMA_PREFETCH=2): kernel variants that the device check
    /// times against the defaults (the benchmark's --define). Empty for the runner, which runs the kernels as written.
    /// </summary>
    public IReadOnlyList<string> KernelDefines
    {
        get => _kernelDefines;
        init
        {
            // Only macro definitions reach NVRTC's options: nothing that could be read as another option.
            foreach (var define in value)
                if (!DefinePattern().IsMatch(define))
                    throw new ArgumentException($"A kernel define must be NAME=VALUE (capitals, digits, '_'; a value of letters, digits, '_' or '.'): '{define}'.", nameof(KernelDefines));
            _kernelDefines = [.. value];
        }
    }

    [GeneratedRegex("^[A-Z_][A-Z0-9_]*=[A-Za-z0-9_.]+$")]
    private static partial Regex DefinePattern();

    /// <summary>Device ordinal; MEDIAGATEWAY_CUDA_DEVICE overrides the default 0.</summary>
    public static int DeviceOrdinal =>
        int.TryParse(Environment.GetEnvironmentVariable("MEDIAGATEWAY_CUDA_DEVICE"), out var ordinal) && ordinal >= 0 ? ordinal : 0;

    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    public bool TryCreate(out IKernelBackend? backend, out string reason)
    {
        backend = null;
        try
        {
            if (!CudaLibraries.TryLoadDriver(out var driverProblem))
            {
                reason = driverProblem;
                return false;
            }
            return TryCreateOnDriver(out backend, out reason);
        }
        catch (Exception e) when (e is CudaException or DllNotFoundException or EntryPointNotFoundException or InvalidOperationException or IOException)
        {
            reason = e.Message;
            return false;
        }
    }

    private bool TryCreateOnDriver(out IKernelBackend? backend, out string reason)
    {
        backend = null;
        var initResult = CudaDriver.cuInit(0);
        if (initResult != 0)
        {
            reason = $"the NVIDIA driver is present but {CudaExceptionMessage(initResult, "cuInit")}";
            return false;
        }
        var device = CudaDevice.Open(DeviceOrdinal);
        try
        {
            var info = device.Info;
            if (info.Major < 7 || (info.Major == 7 && info.Minor < 5))
            {
                reason = $"{info.Name} is {info.Architecture}; the kernels need sm_75 or newer (tensor-core MMA)";
                device.Dispose();
                return false;
            }
            if (!CudaLibraries.TryLoadNvrtc(out var nvrtc))
            {
                reason = $"{info.Name} found, but {nvrtc}";
                device.Dispose();
                return false;
            }
            var cache = NvrtcCompiler.DefaultCacheDirectory();
            var compiler = new NvrtcCompiler(cache, info.Architecture, info.DriverVersion, _kernelDefines);
            var kernels = CudaKernels.Load(device, compiler);
            backend = new CudaKernelBackend(device, kernels);
            reason = $"{info.Name} ({info.Architecture}, {info.Multiprocessors} SMs, {info.TotalMemory / (1024.0 * 1024 * 1024):F0} GiB), " +
                     $"driver {info.DriverVersionText}, NVRTC {NvrtcCompiler.NvrtcVersion()} ({nvrtc}); " +
                     $"kernels: {kernels.FromCache} from cache, {kernels.Compiled} compiled, cache {cache}" +
                     (_kernelDefines.Count > 0 ? $", built with {string.Join(' ', _kernelDefines)}" : "") + $"; {kernels.TensorCoreSummary(info)}";
            _logger.LogInformation("CUDA backend ready: {Reason}", reason);
            return true;
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    private static string CudaExceptionMessage(int result, string call)
    {
        try
        {
            CudaDriver.Check(result, call);
            return $"{call} succeeded";
        }
        catch (CudaException e)
        {
            return e.Message;
        }
    }
}
