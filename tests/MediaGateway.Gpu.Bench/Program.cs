using System.Diagnostics;
using System.Globalization;
using MediaGateway.Engine.Kernels;
using MediaGateway.Engine.Kernels.Cuda;
using MediaGateway.Engine.Ranking;
using MediaGateway.Engine.VectorSearch;
using MediaGateway.Gpu.Bench;

// Usage (scripts/device-check.sh runs these):
//   parity [--rows 1,1000,100003] [--dim 384] [--batches 1,7,16,64,100] [--k 1,10,100,128,129,1000] [--max-slice-rows N] [--block-rows N]
//          [--tuning MINROWS,BATCH,REPEATS]  GPU vs CPU top-k on random data (two thirds of the queries filtered), and re-rank; --tuning
//                                            times the batch kernels at load on smaller catalogs than the default (tests)
//   either mode: [--define NAME=VALUE,...]   compile the kernels with those macros, e.g. MG_MMA_PREFETCH=2 (kernel variants)
//   bench --rows 1000000,5000000 --batches 1,64,1024 --k 10,100 [--dim 384] [--repeat 5] [--dump DIR] [--copy-mib 1024]
//                                            timings as JSON lines; --dump writes the same data, and our results,
//                                            for torch_bench.py (its timings and its fp32 parity check)
var mode = args.FirstOrDefault() ?? "parity";
string Option(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
int[] Ints(string name, string fallback) => Option(name, fallback).Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();

// --define NAME=VALUE[,NAME=VALUE]: compile the kernels with those macros (a variant the device check times against the defaults).
var defines = Option("--define", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
CudaBackendFactory factory;
try
{
    factory = new CudaBackendFactory { KernelDefines = defines };
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
if (!factory.TryCreate(out var created, out var reason) || created is not CudaKernelBackend gpu)
{
    Console.Error.WriteLine($"No CUDA backend: {reason}");
    return 2;
}
Console.Error.WriteLine($"{gpu.Name}: {reason}");
// Tests shrink the largest catalog slice to exercise slicing on a small catalog.
if (int.TryParse(Option("--max-slice-rows", ""), CultureInfo.InvariantCulture, out var maxSliceRows))
    gpu.MaxSliceBytes = (long)maxSliceRows * int.Parse(Option("--dim", "384"), CultureInfo.InvariantCulture) * 2;
if (Option("--tuning", "") is { Length: > 0 } tuning && tuning.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() is [var minRows, var tuningBatch, var repeats])
    gpu.Tuning = new KernelTuning(minRows, tuningBatch, repeats);
using (gpu)
{
    return mode switch
    {
        "parity" => Parity(gpu, Ints("--rows", "1,1000,100003"), int.Parse(Option("--dim", "384"), CultureInfo.InvariantCulture),
            Ints("--batches", "1,7,16,64,100"), Ints("--k", "1,10,100,128,129,1000"), int.Parse(Option("--block-rows", "0"), CultureInfo.InvariantCulture)),
        "bench" => Bench(gpu, Ints("--rows", "1000000,5000000"), Ints("--batches", "1,64,1024"), Ints("--k", "10,100"),
            int.Parse(Option("--dim", "384"), CultureInfo.InvariantCulture), int.Parse(Option("--repeat", "5"), CultureInfo.InvariantCulture), Option("--dump", ""),
            long.Parse(Option("--copy-mib", "1024"), CultureInfo.InvariantCulture) << 20, defines),
        _ => Usage(),
    };
}

static int Usage()
{
    Console.Error.WriteLine("usage: MediaGateway.Gpu.Bench parity | bench [--rows ..] [--batches ..] [--k ..] [--dim 384] [--repeat 5] [--dump DIR] [--copy-mib 1024] [--define NAME=VALUE,..]");
    return 2;
}

// Two references per case, both the CPU backend:
//  - "same inputs": the CPU searches exactly what the GPU computes with — the fp16-rounded catalog, and
//    on the tensor-core path the fp16-rounded queries. Only summation order differs, so scores must agree
//    within 1e-3 relative to the query's best score (in practice ~1e-6) and ids up to exact-ish ties.
//  - "fp32": the CPU on the original fp32 data, as the CPU backend serves it. fp16 rounding moves a
//    score of unit vectors by at most ~2^-11 per operand, so scores must agree within 1e-3 absolute
//    and ids may differ only among rows whose scores are that close to the k-th.
/// <summary>
/// How the output names a scan kernel: "stream", "mma" (tensor cores, 32 queries per block), "mma-large" (64) or "mma-wide" (8, k up
/// to 1,024).
/// </summary>
static string PathName(ScanKernel kernel) => kernel switch
{
    ScanKernel.TensorCores => "mma",
    ScanKernel.TensorCoresLarge => "mma-large",
    ScanKernel.TensorCoresWide => "mma-wide",
    _ => "stream",
};

static int Parity(CudaKernelBackend gpu, int[] rowCounts, int dim, int[] batches, int[] ks, int blockRowsOption)
{
    var failures = 0;
    foreach (var rows in rowCounts)
    {
        var catalog = RandomData.UnitRows(rows, dim, seed: rows);
        var sameInputs = new CpuKernelBackend();
        sameInputs.Load(RandomData.RoundedToHalf(catalog), rows, dim);
        var fp32 = new CpuKernelBackend();
        fp32.Load(catalog, rows, dim);
        // Loaded in blocks of --block-rows (default: one), as a catalog too large for one array would be.
        var blockRows = blockRowsOption > 0 ? Math.Min(blockRowsOption, rows) : Math.Max(rows, 1);
        gpu.Load(Enumerable.Range(0, (rows + blockRows - 1) / blockRows)
            .Select(b => (ReadOnlyMemory<float>)catalog.AsMemory(b * blockRows * dim, Math.Min(blockRows, rows - b * blockRows) * dim)).ToList(), dim);
        Console.WriteLine($"parity rows={rows}: catalog in {gpu.SliceCount} slice(s); tensor-core kernel for {gpu.BatchKernel}");
        foreach (var batch in batches)
        {
            var queries = RandomData.UnitRows(batch, dim, seed: 1000 + batch);
            // Two filters and none in turn: with period 3 each query of an 8-query MMA tile, and each tile, sees a different
            // pattern, so a kernel applying one query's filter to another's scores fails.
            var (filter, other) = (RowFilter.FromPredicate(rows, r => r % 3 != 1), RowFilter.FromPredicate(rows, r => r % 5 != 2));
            var filters = Enumerable.Range(0, batch).Select(q => q % 3 == 0 ? null : q % 3 == 1 ? filter : other).ToArray();
            foreach (var k in ks)
            {
                var tensorCores = gpu.UsesTensorCores(batch, Math.Min(k, rows));
                var actual = gpu.TopK(queries, batch, k, filters);
                var problems = Compare(sameInputs.TopK(tensorCores ? RandomData.RoundedToHalf(queries) : queries, batch, k, filters), actual, k, relativeToBest: 1e-3f, absolute: 0f)
                    .Select(p => $"same inputs: {p}")
                    .Concat(Compare(fp32.TopK(queries, batch, k, filters), actual, k, relativeToBest: 0f, absolute: 1e-3f).Select(p => $"fp32: {p}"))
                    .ToList();
                Console.WriteLine($"parity rows={rows} batch={batch} k={k} ({PathName(gpu.ScanKernelFor(batch, Math.Min(k, rows)))}): {(problems.Count == 0 ? "ok" : $"FAIL {problems[0]}")}");
                failures += problems.Count == 0 ? 0 : 1;
            }
        }
    }

    // Re-ranking: the CUDA kernel and C# Scoring on the same candidates.
    var random = new Random(7);
    var candidates = Enumerable.Range(0, 10_000).Select(i => new NativeRerankCandidate
    {
        Row = i, Similarity = random.NextSingle() * 2 - 1, OntologyMatch = random.NextSingle(),
        ImdbRating = random.NextSingle() * 10, ImdbVotes = MathF.Floor(random.NextSingle() * 1e6f), Personalization = random.NextSingle(),
    }).ToArray();
    var weights = new ScoringWeights { Personalization = 0.2f };
    // Through the engine's rank stage, which must keep the work on the device.
    var stage = new RankStage(gpu, weights);
    var scores = stage.Score(candidates);
    Console.WriteLine($"parity rerank: rank stage on {stage.Device}{(stage.FallbackReason is { } why ? $" (fell back: {why})" : "")}");
    failures += stage.Device == "cuda" ? 0 : 1;
    // Measured against the size of the terms summed, not of the sum: similarity can cancel the other terms to
    // near zero, and then a one-ulp difference in log10f (CUDA's and the C runtime's differ by up to two ulp,
    // the formula's only non-exact step) is a large fraction of the result. On an H200 that made a relative-
    // to-the-sum bound report 3.7e-5 for a 1e-7 absolute difference.
    var worst = candidates.Select((c, i) =>
    {
        var quality = Scoring.QualityPrior(c.ImdbRating, c.ImdbVotes);
        var cpu = Scoring.Combine(weights, c.Similarity, c.OntologyMatch, quality, c.Personalization);
        var terms = Math.Abs(weights.Similarity * c.Similarity) + Math.Abs(weights.OntologyMatch * c.OntologyMatch)
                    + Math.Abs(weights.QualityPrior * quality) + Math.Abs(weights.Personalization * c.Personalization);
        return Math.Abs(cpu - scores[i]) / Math.Max(terms, 1e-6);
    }).Max();
    Console.WriteLine($"parity rerank 10000 candidates: worst difference relative to the terms {worst:E2} {(worst <= 1e-6 ? "ok" : "FAIL")}");
    failures += worst <= 1e-6 ? 0 : 1;
    Console.WriteLine($"parity: search calls split by the memory plan {gpu.BatchSplits} time(s)");
    Console.WriteLine(failures == 0 ? "parity: all ok" : $"parity: {failures} FAILED");
    return failures == 0 ? 0 : 1;
}

static List<string> Compare(ScoredRow[][] expected, ScoredRow[][] actual, int k, float relativeToBest, float absolute)
{
    var problems = new List<string>();
    for (var q = 0; q < expected.Length; q++)
    {
        var e = expected[q];
        var a = actual[q];
        if (e.Length != a.Length) { problems.Add($"query {q}: {a.Length} results, expected {e.Length}"); continue; }
        if (e.Length == 0) continue;
        // Relative to the query's best score: scores near zero (deep in a k = 1000 list) carry the same
        // absolute rounding error as the top ones, so a per-score relative bound would be meaningless there.
        var tolerance = Math.Max(absolute, relativeToBest * Math.Max(Math.Abs(e[0].Score), 1e-3f));
        for (var i = 0; i < e.Length; i++)
            if (Math.Abs(e[i].Score - a[i].Score) > tolerance)
                problems.Add($"query {q} rank {i}: score {a[i].Score:R}, expected {e[i].Score:R} (tolerance {tolerance:G3})");
        // Ids may differ only among near-ties at the k-th score.
        var expectedIds = e.Select(r => r.Row).ToHashSet();
        foreach (var r in a.Where(r => !expectedIds.Contains(r.Row)))
            if (r.Score < e[^1].Score - tolerance)
                problems.Add($"query {q}: row {r.Row} (score {r.Score:R}) is not in the CPU's top {k} and not a tie with its last ({e[^1].Score:R})");
    }
    return problems;
}

static int Bench(CudaKernelBackend gpu, int[] rowCounts, int[] batches, int[] ks, int dim, int repeat, string dump, long copyBytes, string[] defines)
{
    var copy = gpu.MeasureCopyBandwidth(copyBytes);
    var device = gpu.Device;
    Console.WriteLine(new JsonLine("device").Add("name", device.Name).Add("arch", device.Architecture).Add("sms", device.Multiprocessors)
        .Add("peak_bandwidth_gbps", Math.Round(device.PeakBandwidthGBps, 1)).Add("copy_bandwidth_gbps", Math.Round(copy, 1))
        .Add("defines", string.Join(' ', defines)));
    foreach (var rows in rowCounts)
    {
        var clock = Stopwatch.StartNew();
        var catalog = RandomData.UnitRowBlocks(rows, dim, seed: rows);   // in blocks: 10M × 384 is more than one array holds
        if (dump.Length > 0)
        {
            Directory.CreateDirectory(dump);
            RandomData.WriteHalf(Path.Combine(dump, $"catalog-{rows}x{dim}.f16"), catalog);
        }
        gpu.Load(catalog, dim);
        catalog = null;   // the device has it; let the GC reclaim the host copy before the next size
        Console.Error.WriteLine($"rows={rows}: generated and loaded in {clock.Elapsed.TotalSeconds:F1} s ({gpu.SliceCount} slice(s)); tensor-core kernel for {gpu.BatchKernel}");
        foreach (var batch in batches)
        {
            var queries = RandomData.UnitRows(batch, dim, seed: 7 + batch);
            if (dump.Length > 0) RandomData.WriteHalf(Path.Combine(dump, $"queries-{batch}x{dim}.f16"), [queries]);
            foreach (var k in ks)
            {
                // Where the 64-query kernel can take the batch, the 32-query one is timed too, whichever the tuning at load
                // chose (marked "planned"): one run then shows both on this device, and whether the tuning picked the faster.
                var (planned, all, plannedKernel) = (gpu.ScanDevice, gpu.UntunedScanDevice, gpu.ScanKernelFor(batch, k));
                ScanDevice[] kernels = SearchPlanner.ChooseKernel(batch, k, dim, all) == ScanKernel.TensorCoresLarge ? [all, all with { MmaLargeMaxK = 0 }] : [planned];
                foreach (var kernel in kernels)
                {
                    gpu.ScanDevice = kernel;
                    Console.WriteLine(Timed(gpu, rows, dim, batch, k, queries, repeat, copy).Add("planned", gpu.ScanKernelFor(batch, k) == plannedKernel));
                }
                gpu.ScanDevice = planned;
                if (dump.Length > 0) RandomData.WriteResults(Path.Combine(dump, $"ours-{rows}-{batch}-{k}"), gpu.TopK(queries, batch, k));
            }
        }
    }
    return 0;
}

/// <summary>One search shape timed end to end (median of <paramref name="repeat"/>), then again with CUDA events between its stages.</summary>
static JsonLine Timed(CudaKernelBackend gpu, int rows, int dim, int batch, int k, float[] queries, int repeat, double copy)
{
    gpu.TopK(queries, batch, k);   // warm-up: allocates the work buffers for this shape
    var times = new List<double>();
    for (var i = 0; i < repeat; i++)
    {
        var t = Stopwatch.StartNew();
        gpu.TopK(queries, batch, k);
        times.Add(t.Elapsed.TotalMilliseconds);
    }
    var ms = times.Order().ElementAt(times.Count / 2);   // median: robust to one slow run
    // Then the same searches again with CUDA events between the stages (kept out of the timed runs above).
    var stages = new Dictionary<string, List<double>>();
    using (var timeline = new StageTimeline())
    {
        gpu.Timeline = timeline;
        for (var i = 0; i < repeat; i++)
        {
            gpu.TopK(queries, batch, k);
            foreach (var (stage, stageMs) in timeline.Collect())
                (stages.TryGetValue(stage, out var list) ? list : stages[stage] = []).Add(stageMs);
        }
        gpu.Timeline = null;
    }
    double Stage(string name) => stages.TryGetValue(name, out var list) ? Math.Round(list.Order().ElementAt(list.Count / 2), 3) : 0;
    var bytes = (double)rows * dim * 2;
    var flops = 2.0 * rows * dim * batch;
    return new JsonLine("ours").Add("rows", rows).Add("dim", dim).Add("batch", batch).Add("k", k).Add("ms", Math.Round(ms, 3))
        .Add("path", PathName(gpu.ScanKernelFor(batch, k)))
        .Add("catalog_gbps", Math.Round(bytes / (ms * 1e6), 1))
        .Add("tflops", Math.Round(flops / (ms * 1e9), 2))
        .Add("fraction_of_copy_bandwidth", Math.Round(bytes / (ms * 1e6) / copy, 3))
        .Add("upload_ms", Stage("upload")).Add("scan_ms", Stage("scan")).Add("merge_ms", Stage("merge")).Add("download_ms", Stage("download"));
}
