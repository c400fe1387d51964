namespace MediaGateway.Engine.Kernels.Cuda;

/// <summary>
/// A failed CUDA driver or NVRTC call, naming the call and the library's own error name and text,
/// e.g. "cuMemAlloc_v2 failed: CUDA_ERROR_OUT_OF_MEMORY (2): out of memory".
/// </summary>
public sealed class CudaException : Exception
{
    public const string DriverLibrary = "CUDA driver";
    public const string NvrtcLibrary = "NVRTC";

    /// <summary>CUDA_ERROR_OUT_OF_MEMORY: the one error the backend recovers from, by splitting the work.</summary>
    public const int OutOfMemoryCode = 2;

    private CudaException(string library, string call, int code, string errorName, string message) : base(message)
        => (Library, Call, Code, ErrorName) = (library, call, code, errorName);

    public string Library { get; }
    public string Call { get; }
    public int Code { get; }
    public string ErrorName { get; }

    public bool IsOutOfMemory => Library == DriverLibrary && Code == OutOfMemoryCode;

    /// <summary>
    /// For a driver result; <paramref name="name"/> and <paramref name="description"/> come from
    /// cuGetErrorName/cuGetErrorString when the driver can answer, else from a table of common codes.
    /// </summary>
    public static CudaException FromDriver(string call, int code, string? name = null, string? description = null, string? context = null)
    {
        var (knownName, knownText) = KnownDriverErrors.TryGetValue(code, out var known) ? known : ($"CUDA_ERROR_{code}", "unknown error");
        name ??= knownName;
        description ??= knownText;
        var message = $"{call} failed: {name} ({code}): {description}";
        return new CudaException(DriverLibrary, call, code, name, context is null ? message : $"{message} — {context}");
    }

    /// <summary>For an NVRTC result; <paramref name="log"/> is the compiler log when there is one.</summary>
    public static CudaException FromNvrtc(string call, int code, string? name = null, string? log = null)
    {
        name ??= KnownNvrtcErrors.TryGetValue(code, out var known) ? known : $"NVRTC_ERROR_{code}";
        var message = $"{call} failed: {name} ({code})";
        if (!string.IsNullOrWhiteSpace(log)) message += $"{Environment.NewLine}{log.Trim()}";
        return new CudaException(NvrtcLibrary, call, code, name, message);
    }

    // The codes a user is likely to meet; the driver's own cuGetErrorName covers the rest.
    private static readonly Dictionary<int, (string Name, string Text)> KnownDriverErrors = new()
    {
        [1] = ("CUDA_ERROR_INVALID_VALUE", "invalid argument"),
        [2] = ("CUDA_ERROR_OUT_OF_MEMORY", "out of memory"),
        [3] = ("CUDA_ERROR_NOT_INITIALIZED", "initialization error"),
        [4] = ("CUDA_ERROR_DEINITIALIZED", "driver shutting down"),
        [34] = ("CUDA_ERROR_STUB_LIBRARY", "CUDA driver is a stub library"),
        [35] = ("CUDA_ERROR_INSUFFICIENT_DRIVER", "CUDA driver version is insufficient for CUDA runtime version"),
        [100] = ("CUDA_ERROR_NO_DEVICE", "no CUDA-capable device is detected"),
        [101] = ("CUDA_ERROR_INVALID_DEVICE", "invalid device ordinal"),
        [200] = ("CUDA_ERROR_INVALID_IMAGE", "device kernel image is invalid"),
        [209] = ("CUDA_ERROR_NO_BINARY_FOR_GPU", "no kernel image is available for execution on the device"),
        [218] = ("CUDA_ERROR_INVALID_PTX", "a PTX JIT compilation failed"),
        [222] = ("CUDA_ERROR_UNSUPPORTED_PTX_VERSION", "the provided PTX was compiled with an unsupported toolchain"),
        [500] = ("CUDA_ERROR_NOT_FOUND", "named symbol not found"),
        [700] = ("CUDA_ERROR_ILLEGAL_ADDRESS", "an illegal memory access was encountered"),
        [701] = ("CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES", "too many resources requested for launch"),
        [702] = ("CUDA_ERROR_LAUNCH_TIMEOUT", "the launch timed out and was terminated"),
        [719] = ("CUDA_ERROR_LAUNCH_FAILED", "unspecified launch failure"),
        [999] = ("CUDA_ERROR_UNKNOWN", "unknown error"),
    };

    private static readonly Dictionary<int, string> KnownNvrtcErrors = new()
    {
        [1] = "NVRTC_ERROR_OUT_OF_MEMORY",
        [2] = "NVRTC_ERROR_PROGRAM_CREATION_FAILURE",
        [3] = "NVRTC_ERROR_INVALID_INPUT",
        [4] = "NVRTC_ERROR_INVALID_PROGRAM",
        [5] = "NVRTC_ERROR_INVALID_OPTION",
        [6] = "NVRTC_ERROR_COMPILATION",
        [7] = "NVRTC_ERROR_BUILTIN_OPERATION_FAILURE",
        [11] = "NVRTC_ERROR_INTERNAL_ERROR",
    };
}
