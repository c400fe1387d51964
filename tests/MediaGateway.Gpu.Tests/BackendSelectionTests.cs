using MediaGateway.Engine.Kernels;
using MediaGateway.Engine.Kernels.Cuda;
using Moq;

namespace MediaGateway.Gpu.Tests;

public sealed class BackendSelectionTests
{
    private static Mock<ICudaBackendFactory> FailingFactory(string reason)
    {
        var factory = new Mock<ICudaBackendFactory>(MockBehavior.Strict);
        IKernelBackend? none = null;
        factory.Setup(f => f.TryCreate(out none, out reason)).Returns(false);
        return factory;
    }

    [Fact]
    public void Auto_falls_back_to_the_CPU_and_says_why()
    {
        var factory = FailingFactory("no NVIDIA driver (libcuda.so.1 not found)");
        var choice = new KernelBackendSelector(factory.Object).Select(BackendMode.Auto, 384);
        Assert.IsType<CpuKernelBackend>(choice.Backend);
        Assert.Equal("cpu", choice.Backend.Name);
        Assert.Contains("no NVIDIA driver (libcuda.so.1 not found)", choice.Reason);
    }

    [Fact]
    public void Forcing_CUDA_without_a_GPU_throws_InvalidOperationException_naming_the_reason()
    {
        var factory = FailingFactory("the NVIDIA driver is present but cuInit failed: CUDA_ERROR_NO_DEVICE (100): no CUDA-capable device is detected");
        var error = Assert.Throws<InvalidOperationException>(() => new KernelBackendSelector(factory.Object).Select(BackendMode.Cuda, 384));
        Assert.Contains("CUDA_ERROR_NO_DEVICE", error.Message);
        Assert.Contains("Backend=cuda", error.Message);
    }

    [Fact]
    public void CPU_mode_never_asks_the_CUDA_factory()
    {
        var factory = new Mock<ICudaBackendFactory>(MockBehavior.Strict);
        var choice = new KernelBackendSelector(factory.Object).Select(BackendMode.Cpu, 384);
        Assert.IsType<CpuKernelBackend>(choice.Backend);
        Assert.Contains("configured", choice.Reason);
        IKernelBackend? backend;
        string reason;
        factory.Verify(f => f.TryCreate(out backend, out reason), Times.Never);
    }

    [Theory]
    [InlineData(BackendMode.Auto)]
    [InlineData(BackendMode.Cuda)]
    public void A_working_factory_is_used_in_auto_and_cuda_modes(BackendMode mode)
    {
        var gpu = new Mock<IKernelBackend>();
        gpu.SetupGet(b => b.Name).Returns("cuda:Test GPU (sm_90)");
        var factory = new Mock<ICudaBackendFactory>();
        IKernelBackend? created = gpu.Object;
        var reason = "Test GPU (sm_90)";
        factory.Setup(f => f.TryCreate(out created, out reason)).Returns(true);
        var choice = new KernelBackendSelector(factory.Object).Select(mode, 384);
        Assert.Same(gpu.Object, choice.Backend);
        Assert.Equal("CUDA backend: Test GPU (sm_90)", choice.Reason);
    }

    [Theory]
    [InlineData(383)]
    [InlineData(8200)]
    public void A_dimension_the_kernels_cannot_read_keeps_auto_on_the_CPU_and_fails_cuda_mode_saying_why(int dimension)
    {
        var factory = new Mock<ICudaBackendFactory>();
        var choice = new KernelBackendSelector(factory.Object).Select(BackendMode.Auto, dimension);
        Assert.IsType<CpuKernelBackend>(choice.Backend);
        Assert.Contains($"the catalog's is {dimension}", choice.Reason);
        var error = Assert.Throws<InvalidOperationException>(() => new KernelBackendSelector(factory.Object).Select(BackendMode.Cuda, dimension));
        Assert.Contains("multiple of 8", error.Message);
        IKernelBackend? backend;
        string reason;
        factory.Verify(f => f.TryCreate(out backend, out reason), Times.Never);
    }

    [Fact]
    public void A_factory_that_throws_still_leaves_auto_mode_on_the_CPU()
    {
        var factory = new Mock<ICudaBackendFactory>();
        IKernelBackend? none;
        string reason;
        factory.Setup(f => f.TryCreate(out none, out reason)).Throws(new DllNotFoundException("libnvrtc.so.12"));
        var choice = new KernelBackendSelector(factory.Object).Select(BackendMode.Auto, 384);
        Assert.IsType<CpuKernelBackend>(choice.Backend);
        Assert.Contains("libnvrtc.so.12", choice.Reason);
    }

    /// <summary>The real factory on this machine: without a usable GPU it must answer with a reason, never throw.</summary>
    [Fact]
    public void The_real_factory_reports_a_reason_instead_of_throwing()
    {
        var created = new CudaBackendFactory().TryCreate(out var backend, out var reason);
        try
        {
            Assert.False(string.IsNullOrWhiteSpace(reason));
            if (!created)
            {
                Assert.Null(backend);
                var error = Assert.Throws<InvalidOperationException>(() => new KernelBackendSelector(new CudaBackendFactory()).Select(BackendMode.Cuda, 384));
                Assert.Contains(reason, error.Message);
            }
            else
            {
                Assert.StartsWith("cuda:", backend!.Name);
            }
        }
        finally
        {
            backend?.Dispose();
        }
    }

    [Theory]
    [InlineData("MG_MMA_PREFETCH=2", true)]
    [InlineData("MG_X=1.5", true)]
    [InlineData("MG_MMA_PREFETCH", false)]                // a macro without a value
    [InlineData("--use_fast_math", false)]                // another NVRTC option
    [InlineData("MG_A=1 --use_fast_math", false)]         // one smuggled after a value
    [InlineData("mg_lower=1", false)]
    public void Kernel_defines_are_macro_definitions_only(string define, bool accepted)
    {
        if (accepted)
            Assert.Equal([define], new CudaBackendFactory { KernelDefines = [define] }.KernelDefines);
        else
            Assert.Throws<ArgumentException>(() => new CudaBackendFactory { KernelDefines = [define] });
    }
}
