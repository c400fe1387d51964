namespace MediaGateway.Gpu.Tests;

/// <summary>
/// The whole GPU path without a GPU: native/fake_cuda.cpp is built into a stand-in libcuda.so.1 /
/// libnvrtc.so.12 whose cuLaunchKernel runs the real kernel sources on CPU threads (one thread per CUDA
/// thread, real barriers, so the threads really race). The benchmark driver's parity mode then runs in a
/// child process against it: C# loading, NVRTC options, the on-disk cache, fp16 upload, the stream,
/// tensor-core and merge kernels, filters, re-ranking — compared with the CPU backend.
/// What it cannot show: timing and real hardware behaviour. The emulator's MMA follows an independent
/// transcription of the PTX ISA's fragment tables (native/ptx_mma_reference.h, see MmaLayoutTests), and the
/// hardware's layout is checked against torch by scripts/mma_fragment_probe.py.
/// </summary>
public sealed class EmulatedGpuTests
{
    [Fact]
    public void GPU_backend_matches_the_CPU_backend_on_an_emulated_device()
    {
        var output = RunParity(["--rows", "1,700", "--dim", "48", "--batches", "2,17,65", "--k", "10,100,129"], out var cache);
        Assert.Contains("cuda:MediaGateway emulated GPU (sm_90)", output);
        Assert.Contains("tensor cores: k ≤ 128 with 32 queries per block (64 from batch 64 where shared memory allows, at most k = 128), k ≤ 1024 with 8", output);
        Assert.Contains("batch=17 k=10 (mma): ok", output);
        Assert.Contains("batch=65 k=10 (mma-large): ok", output);   // a whole group of 64 and a group of one
        Assert.Contains("batch=65 k=100 (mma-large): ok", output);  // 64 lists of 256 slots
        Assert.Contains("k=129 (mma-wide): ok", output);
        Assert.Contains("(stream): ok", output);
        Assert.Contains("parity rerank 10000 candidates", output);
        Assert.Contains("parity rerank: rank stage on cuda", output);
        // Kernels "compiled" once and cached: the cache directory holds one image per source file.
        Assert.Equal(Directory.GetFiles(NativeTools.NativeDirectory, "*.cu").Length, cache.Length);
    }

    /// <summary>
    /// A device with 86 KB of memory and catalog slices of at most 256 rows: the memory plan must cut the catalog
    /// into slices searched in turn and merged on the host, shrink the upload steps, and split a batch whose work
    /// buffers do not fit into several calls — and the answers must not change. Nothing may run out of memory
    /// on the way (the plan is made from cuMemGetInfo before allocating).
    /// </summary>
    [Fact]
    public void A_small_device_gets_a_sliced_catalog_and_split_batches_without_changing_answers()
    {
        var output = RunParity(["--rows", "700", "--dim", "48", "--batches", "17", "--k", "10,129", "--max-slice-rows", "256", "--block-rows", "100"], out _,
            new Dictionary<string, string> { ["MG_FAKE_CUDA_MEMORY"] = "86000" });
        var slices = System.Text.RegularExpressions.Regex.Match(output, @"catalog in (\d+) slice");
        Assert.True(slices.Success && int.Parse(slices.Groups[1].Value) == 3, $"expected the catalog in 3 slices:{Environment.NewLine}{output}");
        var splits = System.Text.RegularExpressions.Regex.Match(output, @"split by the memory plan (\d+) time");
        Assert.True(splits.Success && int.Parse(splits.Groups[1].Value) > 0, $"expected a batch to be split:{Environment.NewLine}{output}");
        Assert.DoesNotContain("OUT_OF_MEMORY", output);
    }

    /// <summary>
    /// Large batches take whichever of the 64- and 32-query tensor-core kernels was faster when timed at load; both give
    /// the same answers. The tuning runs here on a small catalog (by default only from 2^18 rows), so the timings are the
    /// emulator's and the choice could go either way: what must hold is that both were timed and the answers match.
    /// </summary>
    [Fact]
    public void The_batch_kernel_is_timed_at_load_and_either_choice_keeps_the_answers()
    {
        var output = RunParity(["--rows", "130", "--dim", "16", "--batches", "65", "--k", "10", "--tuning", "0,64,1"], out _);
        Assert.Matches(@"tensor-core kernel for batches of 64\+: (64 queries per block up to k = (32|64|128)(, 32 above)?|32 queries per block) "
            + @"\(scan of 64 queries over 130 rows, ms with 64 queries per block / 32: k = 32: [0-9.]+ / [0-9.]+[;)]", output);
        Assert.Matches(@"batch=65 k=10 \((mma|mma-large)\): ok", output);
        Assert.DoesNotContain("FAIL", output);
    }

    /// <summary>
    /// A T4 (sm_75, the default serverless GPU in infra/) has no m16n8k16 tensor-core MMA and 64 KiB of shared memory
    /// per block: the tensor-core kernels run each m16n8k16 step there as two m16n8k8 (the emulator then computes
    /// them from the ISA's m16n8k8 tables), batches take the 32-query kernel up to k = 64 and the 8-query one up to
    /// k = 512, wider lists stream, and the answers do not change.
    /// </summary>
    [Fact]
    public void On_an_sm75_device_batches_run_as_m16n8k8_pairs_and_answers_match()
    {
        var output = RunParity(["--rows", "700", "--dim", "48", "--batches", "1,17", "--k", "10,100,600"], out _,
            new Dictionary<string, string> { ["MG_FAKE_CUDA_SM"] = "75" });
        Assert.Contains("(sm_75)", output);
        Assert.Contains("tensor cores: k ≤ 64 with 32 queries per block, k ≤ 512 with 8 (m16n8k8 pairs)", output);
        Assert.Contains("batch=1 k=10 (stream): ok", output);
        Assert.Contains("batch=17 k=10 (mma): ok", output);
        Assert.Contains("batch=17 k=100 (mma-wide): ok", output);
        Assert.Contains("batch=17 k=600 (stream): ok", output);
        Assert.DoesNotContain("FAIL", output);
    }

    /// <summary>
    /// A kernel variant — the tensor-core kernels' catalog loads running two or three chunks ahead (MG_MMA_PREFETCH), each
    /// warp multiplying two 16-row tiles per sub-tile (MG_MMA_ROW_TILES), or both — which the device check times against the
    /// default: the benchmark passes its macros to NVRTC (the emulated NVRTC, built with them, refuses any other set), and
    /// the answers do not change. d = 112: three whole 32-dim chunks and a 16-dim tail, so the ring of slots wraps; d = 16:
    /// a tail only. 300 rows end in a half-used sub-tile of 256 rows with two row tiles.
    /// </summary>
    [Theory]
    [InlineData("MG_MMA_PREFETCH=2", "112")]
    [InlineData("MG_MMA_PREFETCH=3", "112,16")]
    [InlineData("MG_MMA_ROW_TILES=2", "112,16")]
    [InlineData("MG_MMA_PREFETCH=2,MG_MMA_ROW_TILES=2", "112")]
    public void A_kernel_variant_compiled_with_macros_gives_the_same_answers(string defines, string dims)
    {
        var macros = defines.Split(',');
        foreach (var dim in dims.Split(','))
        {
            var output = RunParity(["--rows", "300", "--dim", dim, "--batches", "17,65", "--k", "10,64", "--define", defines], out _,
                kernelDefines: macros);
            Assert.Contains($"built with {string.Join(' ', macros)}", output);
            Assert.Contains("batch=17 k=10 (mma): ok", output);
            Assert.Contains("batch=65 k=64 (mma-large): ok", output);
            Assert.DoesNotContain("FAIL", output);
        }
    }

    private static string RunParity(string[] arguments, out string[] cachedImages, Dictionary<string, string>? environment = null, string[]? kernelDefines = null)
    {
        var dir = NativeTools.TempDirectory("fake-cuda");
        try
        {
            NativeTools.RunOrFail("bash", [Path.Combine(NativeTools.RepositoryRoot, "tests", "MediaGateway.Gpu.Tests", "native", "build-fake-cuda.sh"), dir, .. kernelDefines ?? []]);

            var bench = Path.Combine(AppContext.BaseDirectory, "MediaGateway.Gpu.Bench.dll");
            Assert.True(File.Exists(bench), $"{bench} missing: the test project references the benchmark project");
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
            var env = new Dictionary<string, string>(environment ?? [])
            {
                ["LD_LIBRARY_PATH"] = dir,
                ["MEDIAGATEWAY_CUDA_CACHE"] = Path.Combine(dir, "cache"),
            };
            var (exitCode, stdout, stderr) = NativeTools.Run(dotnet, [bench, "parity", .. arguments], environment: env, timeout: TimeSpan.FromMinutes(10));
            var output = stdout + stderr;
            Assert.True(exitCode == 0, $"parity failed on the emulated GPU:{Environment.NewLine}{output}");
            Assert.Contains("parity: all ok", output);
            cachedImages = Directory.GetFiles(Path.Combine(dir, "cache"), "*.cubin");
            return output;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
