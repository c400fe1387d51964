using System.Runtime.InteropServices;

namespace MediaGateway.Engine.Kernels;

public enum BackendMode { Auto, Cpu, Cuda }

/// <summary>The backend the runner will use and the one-line reason, which is logged and shown by health.</summary>
public sealed record BackendChoice(IKernelBackend Backend, string Reason);

/// <summary>Creates the CUDA backend if this machine can run it; otherwise says why not.</summary>
public interface ICudaBackendFactory
{
    bool TryCreate(out IKernelBackend? backend, out string reason);
}

/// <summary>Picks the kernel backend: CUDA when asked for or available, else the CPU, never silently.</summary>
public sealed class KernelBackendSelector(ICudaBackendFactory cuda)
{
    public BackendChoice Select(BackendMode mode)
    {
        if (mode == BackendMode.Cpu) return new BackendChoice(new CpuKernelBackend(), "CPU backend configured (MediaGateway:Engine:Backend=cpu)");
        if (cuda.TryCreate(out var gpu, out var reason) && gpu is not null)
            return new BackendChoice(gpu, $"CUDA backend: {reason}");
        if (mode == BackendMode.Cuda)
            throw new InvalidOperationException($"The CUDA backend was requested (MediaGateway:Engine:Backend=cuda) but cannot run here: {reason}");
        return new BackendChoice(new CpuKernelBackend(), $"CPU backend: {reason}");
    }
}

/// <summary>
/// Looks for the NVIDIA driver. The CUDA kernels themselves are added by the GPU backend work (issue 4);
/// until then a machine with a driver is told so plainly and runs on the CPU.
/// </summary>
public sealed class CudaDriverProbe : ICudaBackendFactory
{
    public bool TryCreate(out IKernelBackend? backend, out string reason)
    {
        backend = null;
        if (!NativeLibrary.TryLoad("libcuda.so.1", out var handle))
        {
            reason = "no NVIDIA driver (libcuda.so.1 not found)";
            return false;
        }
        NativeLibrary.Free(handle);
        reason = "an NVIDIA driver is present, but this build has no CUDA kernel backend yet";
        return false;
    }
}
