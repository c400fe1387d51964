using System.Runtime.InteropServices;
using System.Text;

namespace MediaGateway.Engine.Kernels.Cuda;

/// <summary>
/// Compiles the embedded kernels with NVRTC for the device's own architecture (sm_XY, a real CUBIN:
/// no PTX JIT at load) and keeps the images on disk, keyed by the source hash, the architecture, the
/// driver version and the NVRTC version, so a restart loads in milliseconds and any change recompiles.
/// <paramref name="defines"/> (NAME=VALUE, checked by <see cref="CudaBackendFactory.KernelDefines"/>) become -D options, so they are
/// part of the cache key like every other option.
/// </summary>
internal sealed unsafe class NvrtcCompiler(string cacheDirectory, string architecture, int driverVersion, IReadOnlyList<string> defines)
{
    /// <summary>Default cache: $MEDIAGATEWAY_CUDA_CACHE, else ~/.cache/mediagateway/cuda (or the temp folder).</summary>
    public static string DefaultCacheDirectory()
    {
        if (Environment.GetEnvironmentVariable("MEDIAGATEWAY_CUDA_CACHE") is { Length: > 0 } configured) return configured;
        var home = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        return Path.Combine(string.IsNullOrEmpty(home) ? Path.GetTempPath() : home, "mediagateway", "cuda");
    }

    public string Architecture => architecture;

    public static string NvrtcVersion()
    {
        Nvrtc.Check(Nvrtc.nvrtcVersion(out var major, out var minor), "nvrtcVersion");
        return $"{major}.{minor}";
    }

    private string[] Options() =>
    [
        $"--gpu-architecture={architecture}",
        "-std=c++17",
        // The kernels never rely on fast math: the scoring header rounds every step explicitly.
        "--fmad=true",
        .. defines.Select(define => $"-D{define}"),
    ];

    /// <summary>The CUBIN for <paramref name="program"/>, from the cache when present; <paramref name="fromCache"/> says which.</summary>
    public byte[] Compile(KernelSource program, out bool fromCache)
    {
        var options = Options();
        var hash = KernelSources.Hash(program, [.. options, $"driver={driverVersion}", $"nvrtc={NvrtcVersion()}"]);
        var cachePath = Path.Combine(cacheDirectory, $"{Path.GetFileNameWithoutExtension(program.Name)}-{architecture}-{hash[..16]}.cubin");
        if (File.Exists(cachePath))
        {
            fromCache = true;
            return File.ReadAllBytes(cachePath);
        }
        var image = CompileWithNvrtc(program, options);
        TryWriteCache(cachePath, image);
        fromCache = false;
        return image;
    }

    private static byte[] CompileWithNvrtc(KernelSource program, string[] options)
    {
        var headers = KernelSources.Headers;
        var pinned = new List<IntPtr>();
        IntPtr Utf8(string s)
        {
            var p = Marshal.StringToCoTaskMemUTF8(s);
            pinned.Add(p);
            return p;
        }
        try
        {
            var headerTexts = stackalloc byte*[headers.Count];
            var headerNames = stackalloc byte*[headers.Count];
            for (var i = 0; i < headers.Count; i++)
            {
                headerTexts[i] = (byte*)Utf8(headers[i].Text);
                headerNames[i] = (byte*)Utf8(headers[i].Name);
            }
            Nvrtc.Check(Nvrtc.nvrtcCreateProgram(out var handle, (byte*)Utf8(program.Text), (byte*)Utf8(program.Name), headers.Count, headerTexts, headerNames),
                "nvrtcCreateProgram");
            try
            {
                var optionPtrs = stackalloc byte*[options.Length];
                for (var i = 0; i < options.Length; i++) optionPtrs[i] = (byte*)Utf8(options[i]);
                var result = Nvrtc.nvrtcCompileProgram(handle, options.Length, optionPtrs);
                Nvrtc.Check(result, $"nvrtcCompileProgram({program.Name}, {string.Join(' ', options)})", result == 0 ? null : Log(handle));
                Nvrtc.Check(Nvrtc.nvrtcGetCUBINSize(handle, out var size), "nvrtcGetCUBINSize");
                var image = new byte[(int)size];
                fixed (byte* p = image) Nvrtc.Check(Nvrtc.nvrtcGetCUBIN(handle, p), "nvrtcGetCUBIN");
                return image;
            }
            finally
            {
                Nvrtc.nvrtcDestroyProgram(ref handle);
            }
        }
        finally
        {
            foreach (var p in pinned) Marshal.FreeCoTaskMem(p);
        }
    }

    private static string Log(IntPtr program)
    {
        if (Nvrtc.nvrtcGetProgramLogSize(program, out var size) != 0 || size <= 1) return "";
        var log = new byte[(int)size];
        fixed (byte* p = log)
            if (Nvrtc.nvrtcGetProgramLog(program, p) != 0) return "";
        return Encoding.UTF8.GetString(log, 0, log.Length - 1);
    }

    // A cache that cannot be written (read-only image, full disk) only costs a recompile next start.
    private static void TryWriteCache(string path, byte[] image)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = $"{path}.{Environment.ProcessId}.tmp";
            File.WriteAllBytes(temporary, image);
            File.Move(temporary, path, overwrite: true);   // atomic: a concurrent reader never sees half a file
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
