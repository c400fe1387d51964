using System.Text.RegularExpressions;

namespace MediaGateway.Gpu.Tests;

/// <summary>
/// Compiles each kernel source to PTX with clang in CUDA mode, without the CUDA toolkit
/// (-nocudainc -nocudalib, declarations from native/include/mg_cuda_compat.h), warnings as errors,
/// and checks the expected entry points are there. The same compile as scripts/ptx-check.sh.
/// </summary>
public sealed class PtxCompileTests
{
    public static TheoryData<string, string[]> Kernels => new()
    {
        { "topk_stream.cu", ["mg_topk_stream"] },
        { "topk_mma.cu", ["mg_topk_mma", "mg_topk_mma_large", "mg_topk_mma_wide"] },
        { "topk_merge.cu", ["mg_topk_merge"] },
        { "rerank.cu", ["mg_rerank"] },
        { "vectors.cu", ["mg_normalize_rows", "mg_convert_f32_to_f16"] },
    };

    [RequiresClangTheory]
    [MemberData(nameof(Kernels))]
    public void Kernel_source_compiles_to_PTX_with_its_entry_points(string file, string[] entries)
    {
        var ptx = CompileToPtx(file);
        foreach (var entry in entries)
            Assert.True(Regex.IsMatch(ptx, $@"\.visible\s+\.entry\s+{entry}\s*\("), $"{file}: no entry point {entry} in the PTX");
    }

    [RequiresClangFact]
    public void The_tensor_core_kernel_uses_mma_sync_m16n8k16_with_fp32_accumulation()
    {
        var ptx = CompileToPtx("topk_mma.cu");
        Assert.Contains("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32", ptx);
        Assert.DoesNotContain("m16n8k8", ptx);
    }

    [RequiresClangFact]
    public void For_sm75_the_tensor_core_kernels_use_m16n8k8_only()
    {
        // A T4 has no m16n8k16: ptxas would reject it, so not one may reach the sm_75 PTX.
        var ptx = CompileToPtx("topk_mma.cu", "sm_75");
        Assert.Contains("mma.sync.aligned.m16n8k8.row.col.f32.f16.f16.f32", ptx);
        Assert.DoesNotContain("m16n8k16", ptx);
        foreach (var entry in new[] { "mg_topk_mma", "mg_topk_mma_large", "mg_topk_mma_wide" })
            Assert.True(Regex.IsMatch(ptx, $@"\.visible\s+\.entry\s+{entry}\s*\("), $"no entry point {entry} in the sm_75 PTX");
    }

    [RequiresClangTheory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 2)]
    public void The_prefetch_ring_compiles_to_one_pair_of_row_loads_per_slot_and_row_tile(int prefetch, int rowTiles)
    {
        // Each of the three kernels loads both row pieces of MG_MMA_PREFETCH chunks before its chunk loop, and once per
        // step of the loop unrolled over the ring's MG_MMA_PREFETCH + 1 slots (constant slot indices: no piece is moved),
        // for each of its MG_MMA_ROW_TILES row tiles.
        var ptx = CompileToPtx("topk_mma.cu", defines: [$"MG_MMA_PREFETCH={prefetch}", $"MG_MMA_ROW_TILES={rowTiles}"]);
        Assert.Equal(3 * rowTiles * (2 * prefetch + 2 * (prefetch + 1)), Regex.Matches(ptx, @"ld\.global\.nc\.v4\.u32").Count);
    }

    [RequiresClangFact]
    public void Two_row_tiles_read_each_query_fragment_once_for_twice_the_MMAs()
    {
        // The point of MG_MMA_ROW_TILES=2: the same shared-memory reads of the queries feed both row tiles' MMAs.
        var one = CompileToPtx("topk_mma.cu", defines: ["MG_MMA_ROW_TILES=1"]);
        var two = CompileToPtx("topk_mma.cu", defines: ["MG_MMA_ROW_TILES=2"]);
        int SharedFragments(string ptx) => Regex.Matches(ptx, @"ld\.shared\.v[24]\.u32").Count;
        int Mmas(string ptx) => Regex.Matches(ptx, @"mma\.sync\.aligned").Count;
        Assert.Equal(SharedFragments(one), SharedFragments(two));
        Assert.Equal(2 * Mmas(one), Mmas(two));
    }

    [RequiresClangFact]
    public void The_rerank_kernel_rounds_each_step_like_the_CPU()
    {
        // mul.rn / add.rn may not be contracted into fma, which is what keeps GPU and CPU scores equal.
        var ptx = CompileToPtx("rerank.cu");
        Assert.Contains("mul.rn.f32", ptx);
        Assert.Contains("add.rn.f32", ptx);
    }

    [Fact]
    public void Every_native_source_is_covered_by_this_test()
    {
        var onDisk = Directory.GetFiles(NativeTools.NativeDirectory, "*.cu").Select(Path.GetFileName).Order().ToArray();
        var tested = Kernels.Select(row => (string)row[0]).Order().ToArray();
        Assert.Equal(onDisk, tested);
    }

    private static string CompileToPtx(string file, string? arch = null, string[]? defines = null)
    {
        var clang = NativeTools.Clang!;
        arch ??= ClangMajor(clang) >= 16 ? "sm_90" : "sm_80";
        var dir = NativeTools.TempDirectory("ptx");
        try
        {
            var output = Path.Combine(dir, Path.ChangeExtension(file, ".ptx"));
            NativeTools.RunOrFail(clang,
            [
                "-x", "cuda", "--cuda-device-only", $"--cuda-gpu-arch={arch}", "-nocudainc", "-nocudalib",
                "-O3", "-std=c++17", "-Wall", "-Wextra", "-Werror", "-I", NativeTools.IncludeDirectory,
                .. (defines ?? []).Select(define => $"-D{define}"),
                "-S", Path.Combine(NativeTools.NativeDirectory, file), "-o", output,
            ]);
            var ptx = File.ReadAllText(output);
            Assert.Contains($".target {arch}", ptx);
            return ptx;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static int ClangMajor(string clang)
    {
        var version = NativeTools.RunOrFail(clang, ["--version"]);
        var match = Regex.Match(version, @"clang version (\d+)");
        return match.Success ? int.Parse(match.Groups[1].Value) : 0;
    }
}
