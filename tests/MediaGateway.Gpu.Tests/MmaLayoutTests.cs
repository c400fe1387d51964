namespace MediaGateway.Gpu.Tests;

/// <summary>
/// The tensor-core fragment layout the kernels use (native/include/mg_cuda_compat.h, loaded by
/// native/topk_mma.cu) against an independent transcription of the PTX ISA's tables
/// (tests/MediaGateway.Gpu.Tests/native/ptx_mma_reference.h, which the emulator's MMA is built on): every element of A, B and
/// C/D is held by exactly one lane, both layouts place it in the same lane and register, and fragments
/// loaded the kernels' way and multiplied the ISA's way equal a plain product. On hardware the same
/// layout is checked against torch by scripts/mma_fragment_probe.py.
/// </summary>
public sealed class MmaLayoutTests
{
    [Fact]
    public void Kernel_fragment_layout_matches_the_ptx_isa_tables()
    {
        var dir = NativeTools.TempDirectory("mma-layout");
        try
        {
            var native = Path.Combine(NativeTools.RepositoryRoot, "tests", "MediaGateway.Gpu.Tests", "native");
            var exe = Path.Combine(dir, "mma_layout_harness");
            NativeTools.RunOrFail(NativeTools.Gxx, ["-std=c++17", "-O2", "-Wall", "-Wextra", "-Werror", "-I", native,
                Path.Combine(native, "mma_layout_harness.cpp"), "-o", exe]);
            var (code, stdout, stderr) = NativeTools.Run(exe, []);
            Assert.True(code == 0, $"layout mismatch:{Environment.NewLine}{stdout}{stderr}");
            Assert.Equal("ok", stdout.Trim());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
