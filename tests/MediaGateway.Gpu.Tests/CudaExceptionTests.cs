using MediaGateway.Engine.Kernels.Cuda;

namespace MediaGateway.Gpu.Tests;

/// <summary>Every CUDA/NVRTC failure becomes an exception naming the call and the error.</summary>
public sealed class CudaExceptionTests
{
    [Fact]
    public void A_driver_result_names_the_call_the_error_and_its_text()
    {
        var e = CudaException.FromDriver("cuMemAlloc_v2", 2, context: "1024.0 MiB for catalog rows 0..1398101 (fp16)");
        Assert.Equal("cuMemAlloc_v2 failed: CUDA_ERROR_OUT_OF_MEMORY (2): out of memory — 1024.0 MiB for catalog rows 0..1398101 (fp16)", e.Message);
        Assert.True(e.IsOutOfMemory);
        Assert.Equal("cuMemAlloc_v2", e.Call);
        Assert.Equal(2, e.Code);
        Assert.Equal("CUDA_ERROR_OUT_OF_MEMORY", e.ErrorName);
        Assert.Equal(CudaException.DriverLibrary, e.Library);
    }

    [Fact]
    public void The_driver_own_name_and_text_win_over_the_built_in_table()
    {
        var e = CudaException.FromDriver("cuLaunchKernel(mg_topk_mma, 544 x 256, 65920 B shared)", 701, "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES", "too many resources requested for launch");
        Assert.Equal("cuLaunchKernel(mg_topk_mma, 544 x 256, 65920 B shared) failed: CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES (701): too many resources requested for launch", e.Message);
        Assert.False(e.IsOutOfMemory);
    }

    [Fact]
    public void An_unknown_code_still_produces_a_usable_message()
    {
        var e = CudaException.FromDriver("cuStreamSynchronize", 12345);
        Assert.Equal("cuStreamSynchronize failed: CUDA_ERROR_12345 (12345): unknown error", e.Message);
    }

    [Fact]
    public void NVRTC_compile_errors_carry_the_compiler_log()
    {
        var e = CudaException.FromNvrtc("nvrtcCompileProgram(topk_mma.cu, --gpu-architecture=sm_90)", 6, log: "topk_mma.cu(12): error: identifier \"x\" is undefined\n");
        Assert.StartsWith("nvrtcCompileProgram(topk_mma.cu, --gpu-architecture=sm_90) failed: NVRTC_ERROR_COMPILATION (6)", e.Message);
        Assert.Contains("identifier \"x\" is undefined", e.Message);
        Assert.Equal(CudaException.NvrtcLibrary, e.Library);
        Assert.False(e.IsOutOfMemory);   // NVRTC's code 1 or 2 is not the driver's out-of-memory
    }

    [Fact]
    public void Check_passes_success_and_throws_on_failure_even_without_a_driver()
    {
        CudaDriver.Check(0, "cuInit");
        // On a machine without libcuda the names come from the table; with a driver, from cuGetErrorName.
        var e = Assert.Throws<CudaException>(() => CudaDriver.Check(100, "cuInit"));
        Assert.Equal("CUDA_ERROR_NO_DEVICE", e.ErrorName);
        Assert.StartsWith("cuInit failed: CUDA_ERROR_NO_DEVICE (100): ", e.Message);
    }
}
