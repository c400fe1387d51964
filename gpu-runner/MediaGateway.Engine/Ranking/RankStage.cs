using MediaGateway.Engine.Kernels;
using MediaGateway.Engine.Kernels.Cuda;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaGateway.Engine.Ranking;

/// <summary>
/// The pipeline's rank stage: every candidate of a batch scored in one call on the kernel backend, so with the
/// CUDA backend the scores come from the re-rank kernel on the GPU. If the device call fails (out of memory, a
/// lost device), the stage logs the reason once, scores on the CPU with the same formula from then on, and says
/// so in <see cref="Device"/> and <see cref="FallbackReason"/> (reported in timings and health).
/// </summary>
public sealed class RankStage(IKernelBackend backend, ScoringWeights weights, ILogger? logger = null)
{
    private static readonly CpuKernelBackend Cpu = new();
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private volatile string? _fallbackReason;

    /// <summary>Where scores are computed now: "cuda", or "cpu" (the CPU backend, or the fallback after a CUDA failure).</summary>
    public string Device => backend is CudaKernelBackend && _fallbackReason is null ? "cuda" : "cpu";

    /// <summary>Why a GPU rank stage fell back to the CPU; null when it did not.</summary>
    public string? FallbackReason => _fallbackReason;

    public float[] Score(ReadOnlySpan<NativeRerankCandidate> candidates)
    {
        if (candidates.IsEmpty) return [];
        if (_fallbackReason is not null) return Cpu.Rank(candidates, weights);
        try
        {
            return backend.Rank(candidates, weights);
        }
        catch (Exception e) when (e is CudaException or InsufficientDeviceMemoryException)
        {
            _fallbackReason = e.Message;
            _logger.LogWarning("Rank stage moved to the CPU: the GPU re-rank failed ({Reason})", e.Message);
            return Cpu.Rank(candidates, weights);
        }
    }
}
