using System.Reflection;
using System.Runtime.InteropServices;

namespace MediaGateway.Engine.Kernels.Cuda;

/// <summary>
/// Finds the CUDA driver (libcuda.so.1, installed with the NVIDIA driver) and NVRTC (libnvrtc, part of
/// the CUDA toolkit or the cuda-nvrtc package, whose soname carries the CUDA major version). The
/// P/Invoke declarations use the logical names "cuda" and "nvrtc"; this resolver maps them to the
/// first library that loads.
/// </summary>
internal static class CudaLibraries
{
    public const string Driver = "cuda";
    public const string Nvrtc = "nvrtc";

    private static readonly object Gate = new();
    private static bool _registered;
    private static IntPtr _driver, _nvrtc;
    private static string? _nvrtcPath;

    public static readonly string[] DriverNames = OperatingSystem.IsWindows() ? ["nvcuda.dll"] : ["libcuda.so.1", "libcuda.so"];

    // Newest first: a newer NVRTC knows newer GPUs. Unversioned last (it is a dev symlink, often absent).
    public static readonly string[] NvrtcNames = OperatingSystem.IsWindows()
        ? ["nvrtc64_130_0.dll", "nvrtc64_120_0.dll", "nvrtc64_112_0.dll"]
        : ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so"];

    /// <summary>
    /// Directories tried after the loader's own search path (NVRTC is often not on it): an explicit
    /// $MEDIAGATEWAY_NVRTC_DIR, the toolkit's folders, then the NVIDIA wheels Python environments carry
    /// (CUDA 13 keeps NVRTC in site-packages/nvidia/cu13/lib, CUDA 12 in nvidia/cuda_nvrtc/lib), which is
    /// where it lives on machines that have PyTorch but no toolkit.
    /// </summary>
    private static IEnumerable<string> NvrtcDirectories()
    {
        if (Environment.GetEnvironmentVariable("MEDIAGATEWAY_NVRTC_DIR") is { Length: > 0 } explicitDirectory) yield return explicitDirectory;
        foreach (var variable in new[] { "CUDA_PATH", "CUDA_HOME" })
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } root)
            {
                yield return Path.Combine(root, "lib64");
                yield return Path.Combine(root, "bin");
            }
        yield return "/usr/local/cuda/lib64";
        yield return "/usr/local/cuda/targets/x86_64-linux/lib";
        yield return "/usr/local/cuda/targets/sbsa-linux/lib";
        foreach (var sitePackages in PythonSitePackages())
            foreach (var wheel in new[] { "cu13", "cuda_nvrtc" })
                yield return Path.Combine(sitePackages, "nvidia", wheel, "lib");
    }

    /// <summary>site-packages / dist-packages of the Python environments in the usual places (virtual environments under /opt too).</summary>
    private static IEnumerable<string> PythonSitePackages()
    {
        if (OperatingSystem.IsWindows()) yield break;
        var libRoots = new List<string> { "/usr/local/lib", "/usr/lib" };
        if (Environment.GetEnvironmentVariable("VIRTUAL_ENV") is { Length: > 0 } venv) libRoots.Insert(0, Path.Combine(venv, "lib"));
        foreach (var dir in Entries("/opt", "*", directories: true))
            libRoots.AddRange([Path.Combine(dir, ".venv", "lib"), Path.Combine(dir, "lib")]);
        foreach (var libRoot in libRoots)
            foreach (var python in Entries(libRoot, "python3*", directories: true))
                foreach (var leaf in new[] { "site-packages", "dist-packages" })
                    yield return Path.Combine(python, leaf);
    }

    /// <summary>Sub-folders or files of <paramref name="path"/> matching <paramref name="pattern"/>; none when it is missing or unreadable (probing must never throw).</summary>
    private static string[] Entries(string path, string pattern, bool directories)
    {
        try { return !Directory.Exists(path) ? [] : directories ? Directory.GetDirectories(path, pattern) : Directory.GetFiles(path, pattern); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return []; }
    }

    /// <summary>
    /// NVRTC opens its builtins library (libnvrtc-builtins.so.MAJOR.MINOR) by name when it compiles, so a
    /// NVRTC loaded by full path from a folder outside the loader's path fails then. Loading the builtins
    /// from the same folder first lets the dynamic loader find the already-loaded library by its soname.
    /// </summary>
    private static void PreloadBuiltins(string directory)
    {
        foreach (var builtins in Entries(directory, "libnvrtc-builtins.so*", directories: false).Order(StringComparer.Ordinal))
            if (NativeLibrary.TryLoad(builtins, out _)) return;
    }

    public static void EnsureResolver()
    {
        lock (Gate)
        {
            if (_registered) return;
            NativeLibrary.SetDllImportResolver(typeof(CudaLibraries).Assembly, Resolve);
            _registered = true;
        }
    }

    public static bool TryLoadDriver(out string description)
    {
        EnsureResolver();
        lock (Gate)
        {
            if (_driver == IntPtr.Zero)
                foreach (var name in DriverNames)
                    if (NativeLibrary.TryLoad(name, out _driver)) break;
            description = _driver != IntPtr.Zero ? "loaded" : $"no NVIDIA driver ({string.Join(", ", DriverNames)} not found)";
            return _driver != IntPtr.Zero;
        }
    }

    public static bool TryLoadNvrtc(out string description)
    {
        EnsureResolver();
        lock (Gate)
        {
            if (_nvrtc == IntPtr.Zero)
            {
                foreach (var name in NvrtcNames)
                    if (NativeLibrary.TryLoad(name, out _nvrtc)) { _nvrtcPath = name; break; }
                if (_nvrtc == IntPtr.Zero)
                    foreach (var dir in NvrtcDirectories())
                    foreach (var name in NvrtcNames)
                    {
                        var path = Path.Combine(dir, name);
                        if (!File.Exists(path)) continue;
                        PreloadBuiltins(dir);
                        if (NativeLibrary.TryLoad(path, out _nvrtc)) { _nvrtcPath = path; goto done; }
                    }
            }
            done:
            description = _nvrtc != IntPtr.Zero
                ? _nvrtcPath!
                : $"NVRTC not found (tried {string.Join(", ", NvrtcNames)} on the library path, under $MEDIAGATEWAY_NVRTC_DIR, CUDA_PATH, /usr/local/cuda and Python's nvidia wheels); install the CUDA toolkit's NVRTC (e.g. apt package cuda-nvrtc-12-x)";
            return _nvrtc != IntPtr.Zero;
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path) => name switch
    {
        Driver when TryLoadDriver(out _) => _driver,
        Nvrtc when TryLoadNvrtc(out _) => _nvrtc,
        _ => IntPtr.Zero,
    };
}

/// <summary>The CUDA driver API calls the backend uses, and nothing more. Every call returns a CUresult.</summary>
internal static unsafe class CudaDriver
{
    // CUdevice_attribute and CUfunction_attribute values used here (cuda.h).
    public const int AttributeMultiprocessorCount = 16;
    public const int AttributeMemoryClockRateKHz = 36;
    public const int AttributeGlobalMemoryBusWidthBits = 37;
    public const int AttributeComputeCapabilityMajor = 75;
    public const int AttributeComputeCapabilityMinor = 76;
    public const int AttributeMaxSharedMemoryPerBlockOptin = 97;
    public const int FunctionAttributeMaxDynamicSharedSizeBytes = 8;

    [DllImport(CudaLibraries.Driver)] public static extern int cuInit(uint flags);
    [DllImport(CudaLibraries.Driver)] public static extern int cuDriverGetVersion(out int version);
    [DllImport(CudaLibraries.Driver)] public static extern int cuDeviceGetCount(out int count);
    [DllImport(CudaLibraries.Driver)] public static extern int cuDeviceGet(out int device, int ordinal);
    [DllImport(CudaLibraries.Driver)] public static extern int cuDeviceGetName(byte* name, int length, int device);
    [DllImport(CudaLibraries.Driver)] public static extern int cuDeviceGetAttribute(out int value, int attribute, int device);
    [DllImport(CudaLibraries.Driver)] public static extern int cuDeviceTotalMem_v2(out nuint bytes, int device);
    [DllImport(CudaLibraries.Driver)] public static extern int cuDevicePrimaryCtxRetain(out IntPtr context, int device);
    [DllImport(CudaLibraries.Driver)] public static extern int cuDevicePrimaryCtxRelease_v2(int device);
    [DllImport(CudaLibraries.Driver)] public static extern int cuCtxSetCurrent(IntPtr context);
    [DllImport(CudaLibraries.Driver)] public static extern int cuModuleLoadData(out IntPtr module, byte* image);
    [DllImport(CudaLibraries.Driver)] public static extern int cuModuleUnload(IntPtr module);
    [DllImport(CudaLibraries.Driver)] public static extern int cuModuleGetFunction(out IntPtr function, IntPtr module, [MarshalAs(UnmanagedType.LPUTF8Str)] string name);
    [DllImport(CudaLibraries.Driver)] public static extern int cuFuncSetAttribute(IntPtr function, int attribute, int value);
    [DllImport(CudaLibraries.Driver)] public static extern int cuOccupancyMaxActiveBlocksPerMultiprocessor(out int blocks, IntPtr function, int blockSize, nuint dynamicSharedBytes);
    [DllImport(CudaLibraries.Driver)] public static extern int cuMemAlloc_v2(out ulong pointer, nuint bytes);
    [DllImport(CudaLibraries.Driver)] public static extern int cuMemFree_v2(ulong pointer);
    [DllImport(CudaLibraries.Driver)] public static extern int cuMemGetInfo_v2(out nuint free, out nuint total);
    [DllImport(CudaLibraries.Driver)] public static extern int cuMemcpyHtoD_v2(ulong destination, void* source, nuint bytes);
    [DllImport(CudaLibraries.Driver)] public static extern int cuMemcpyDtoH_v2(void* destination, ulong source, nuint bytes);
    [DllImport(CudaLibraries.Driver)] public static extern int cuMemcpyDtoD_v2(ulong destination, ulong source, nuint bytes);
    [DllImport(CudaLibraries.Driver)] public static extern int cuStreamCreate(out IntPtr stream, uint flags);
    [DllImport(CudaLibraries.Driver)] public static extern int cuStreamDestroy_v2(IntPtr stream);
    [DllImport(CudaLibraries.Driver)] public static extern int cuStreamSynchronize(IntPtr stream);
    [DllImport(CudaLibraries.Driver)] public static extern int cuCtxSynchronize();
    [DllImport(CudaLibraries.Driver)] public static extern int cuEventCreate(out IntPtr cudaEvent, uint flags);
    [DllImport(CudaLibraries.Driver)] public static extern int cuEventRecord(IntPtr cudaEvent, IntPtr stream);
    [DllImport(CudaLibraries.Driver)] public static extern int cuEventElapsedTime(out float milliseconds, IntPtr start, IntPtr end);
    [DllImport(CudaLibraries.Driver)] public static extern int cuEventDestroy_v2(IntPtr cudaEvent);
    [DllImport(CudaLibraries.Driver)]
    public static extern int cuLaunchKernel(IntPtr function, uint gridX, uint gridY, uint gridZ, uint blockX, uint blockY, uint blockZ,
        uint sharedBytes, IntPtr stream, void** parameters, void** extra);
    [DllImport(CudaLibraries.Driver)] public static extern int cuGetErrorName(int result, out IntPtr name);
    [DllImport(CudaLibraries.Driver)] public static extern int cuGetErrorString(int result, out IntPtr text);

    /// <summary>Throws a <see cref="CudaException"/> naming <paramref name="call"/> unless the result is CUDA_SUCCESS.</summary>
    public static void Check(int result, string call, string? context = null)
    {
        if (result == 0) return;
        string? name = null, text = null;
        try
        {
            if (cuGetErrorName(result, out var n) == 0) name = Marshal.PtrToStringUTF8(n);
            if (cuGetErrorString(result, out var s) == 0) text = Marshal.PtrToStringUTF8(s);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // No driver to ask: the exception falls back to its own table.
        }
        throw CudaException.FromDriver(call, result, name, text, context);
    }
}

/// <summary>The NVRTC calls used to compile native/*.cu at run time.</summary>
internal static unsafe class Nvrtc
{
    [DllImport(CudaLibraries.Nvrtc)] public static extern int nvrtcVersion(out int major, out int minor);
    [DllImport(CudaLibraries.Nvrtc)]
    public static extern int nvrtcCreateProgram(out IntPtr program, byte* source, byte* name, int headerCount, byte** headers, byte** includeNames);
    [DllImport(CudaLibraries.Nvrtc)] public static extern int nvrtcDestroyProgram(ref IntPtr program);
    [DllImport(CudaLibraries.Nvrtc)] public static extern int nvrtcCompileProgram(IntPtr program, int optionCount, byte** options);
    [DllImport(CudaLibraries.Nvrtc)] public static extern int nvrtcGetProgramLogSize(IntPtr program, out nuint size);
    [DllImport(CudaLibraries.Nvrtc)] public static extern int nvrtcGetProgramLog(IntPtr program, byte* log);
    [DllImport(CudaLibraries.Nvrtc)] public static extern int nvrtcGetCUBINSize(IntPtr program, out nuint size);
    [DllImport(CudaLibraries.Nvrtc)] public static extern int nvrtcGetCUBIN(IntPtr program, byte* cubin);
    [DllImport(CudaLibraries.Nvrtc)] public static extern IntPtr nvrtcGetErrorString(int result);

    public static void Check(int result, string call, string? log = null)
    {
        if (result == 0) return;
        string? name = null;
        try { name = Marshal.PtrToStringUTF8(nvrtcGetErrorString(result)); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
        throw CudaException.FromNvrtc(call, result, name, log);
    }
}
