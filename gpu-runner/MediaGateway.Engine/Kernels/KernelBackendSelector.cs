namespace MediaGateway.Engine.Kernels;

public enum BackendMode { Auto, Cpu, Cuda }

/// <summary>The backend the runner will use and the one-line reason, which is logged and shown by health.</summary>
public sealed record BackendChoice(IKernelBackend Backend, string Reason);

/// <summary>
/// Creates the CUDA backend if this machine can run it; otherwise says why not.
/// The implementation is <see cref="Cuda.CudaBackendFactory"/>.
/// </summary>
public interface ICudaBackendFactory
{
    bool TryCreate(out IKernelBackend? backend, out string reason);
}

/// <summary>Picks the kernel backend: CUDA when asked for or available, else the CPU, never silently.</summary>
public sealed class KernelBackendSelector(ICudaBackendFactory cuda)
{
    /// <param name="dimension">The catalog's vector length: the CUDA kernels need a multiple of 8 (16-byte row loads).</param>
    /// <param name="cpuStorage">How the CPU backend, when chosen, stores vectors (int8: a quarter of the memory, approximate scores).</param>
    public BackendChoice Select(BackendMode mode, int dimension, VectorSearch.Exact.VectorStorage cpuStorage = VectorSearch.Exact.VectorStorage.Float32)
    {
        if (mode == BackendMode.Cpu) return new BackendChoice(new CpuKernelBackend(cpuStorage), "CPU backend configured (MediaGateway:Engine:Backend=cpu)");
        string reason;
        if (!Cuda.CudaKernelBackend.SupportsDimension(dimension))
            reason = $"the CUDA kernels need a vector dimension that is a multiple of 8 and at most {Cuda.CudaKernelBackend.MaxDimension}; the catalog's is {dimension}";
        else if (TryCreateCuda(out var gpu, out reason) && gpu is not null)
            return new BackendChoice(gpu, $"CUDA backend: {reason}");
        if (mode == BackendMode.Cuda)
            throw new InvalidOperationException($"The CUDA backend was requested (MediaGateway:Engine:Backend=cuda) but cannot run here: {reason}");
        return new BackendChoice(new CpuKernelBackend(cpuStorage), $"CPU backend: {reason}");
    }

    // A factory is meant to report problems as a reason, not throw; if one throws anyway, the
    // exception becomes the reason, so auto mode still starts on the CPU.
    private bool TryCreateCuda(out IKernelBackend? backend, out string reason)
    {
        try
        {
            return cuda.TryCreate(out backend, out reason);
        }
        catch (Exception e)
        {
            backend = null;
            reason = $"the CUDA backend failed to start: {e.GetType().Name}: {e.Message}";
            return false;
        }
    }
}
