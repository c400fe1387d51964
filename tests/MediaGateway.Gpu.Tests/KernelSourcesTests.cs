using MediaGateway.Engine.Kernels.Cuda;

namespace MediaGateway.Gpu.Tests;

/// <summary>The Engine embeds native/ so NVRTC compiles exactly the sources in the repository.</summary>
public sealed class KernelSourcesTests
{
    [Fact]
    public void Every_kernel_and_header_is_embedded_verbatim()
    {
        var programs = Directory.GetFiles(NativeTools.NativeDirectory, "*.cu");
        var headers = Directory.GetFiles(NativeTools.IncludeDirectory);
        Assert.Equal(programs.Select(Path.GetFileName).Order(), KernelSources.Programs.Select(p => p.Name).Order());
        Assert.Equal(headers.Select(Path.GetFileName).Order(), KernelSources.Headers.Select(h => h.Name).Order());
        foreach (var file in programs)
            Assert.Equal(File.ReadAllText(file), KernelSources.Program(Path.GetFileName(file)).Text);
        foreach (var file in headers)
            Assert.Equal(File.ReadAllText(file), KernelSources.Headers.Single(h => h.Name == Path.GetFileName(file)).Text);
    }

    [Fact]
    public void The_cache_key_changes_with_architecture_and_driver()
    {
        var program = KernelSources.Program("topk_mma.cu");
        var a = KernelSources.Hash(program, ["--gpu-architecture=sm_90", "driver=12080"]);
        Assert.Equal(a, KernelSources.Hash(program, ["--gpu-architecture=sm_90", "driver=12080"]));
        Assert.NotEqual(a, KernelSources.Hash(program, ["--gpu-architecture=sm_80", "driver=12080"]));
        Assert.NotEqual(a, KernelSources.Hash(program, ["--gpu-architecture=sm_90", "driver=12090"]));
        Assert.NotEqual(a, KernelSources.Hash(program with { Text = program.Text + " " }, ["--gpu-architecture=sm_90", "driver=12080"]));
    }
}
