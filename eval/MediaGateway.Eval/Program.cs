using System.Globalization;
using System.Text.Json;
using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Embedding;
using MediaGateway.Engine.Kernels;
using MediaGateway.Engine.Pipeline;
using MediaGateway.Eval;
using Microsoft.Extensions.Logging.Abstractions;

// dotnet run --project eval/MediaGateway.Eval -c Release [-- --per-query] [--plan "query" ["query" …]] [--record] [--model minilm|minilm-int8|arctic-xs]
//   prints nDCG@10, P@10 and MRR per half and overall for cosine-only, BM25-only and the full pipeline;
//   --per-query adds one line per query and system; --plan prints how the planner reads a query;
//   --record writes the held-out full-pipeline nDCG@10 to eval/baseline.json (the CI test's floor);
//   --model runs everything with another embedding model than the runner's default (MiniLM with int8 weights):
//   minilm (the float model) or arctic-xs (Snowflake arctic-embed-xs);
//   --calibrate-int8 measures the int8 model's activation ranges on the calibration texts (every 12th demo-catalog
//   item) and writes the table the engine ships (gpu-runner/MediaGateway.Engine/Embedding/MiniLmActivationRanges.json).
var root = EngineOptions.FindRepositoryRoot() ?? throw new InvalidOperationException("Run inside the repository.");
var options = new EngineOptions
{
    CatalogPath = EngineOptions.FindDemoCatalog() ?? throw new InvalidOperationException("Run 'npm ci' first (demo catalog)."),
    EmbeddingStorePath = Path.Combine(root, ".data", "embeddings"),
    Backend = BackendMode.Cpu,
};
if (args.Contains("--calibrate-int8"))
{
    var items = new MediaGateway.Engine.Catalog.CatalogImporter().ImportFile(options.CatalogPath).Items;
    var texts = ActivationCalibration.CalibrationTexts(items);
    var table = ActivationCalibration.ToJson(ActivationCalibration.Measure(MiniLmInt8Embedder.FloatModel(), texts));
    var path = Path.Combine(root, "gpu-runner", "MediaGateway.Engine", "Embedding", MiniLmInt8Embedder.ActivationRangesResource);
    File.WriteAllText(path, table);
    Console.WriteLine($"Calibrated on {texts.Count} texts; wrote {path}");
    return 0;
}

var modelIndex = Array.IndexOf(args, "--model");
// --model MiniLM | MiniLMInt8 | ArcticXs (any case; "arctic-xs" and "minilm-int8" too)
var model = modelIndex >= 0 && modelIndex + 1 < args.Length
    ? Enum.Parse<EmbeddingModel>(args[modelIndex + 1].Replace("-", ""), ignoreCase: true)
    : new EngineOptions().EmbeddingModel;
using var embedder = Embedders.Create(model);
Console.WriteLine($"Embedding model: {embedder.ModelId}");
var engine = await new EngineFactory(embedder, new KernelBackendSelector(new MediaGateway.Engine.Kernels.Cuda.CudaBackendFactory()), NullLoggerFactory.Instance).CreateAsync(options);

var planIndex = Array.IndexOf(args, "--plan");
if (planIndex >= 0 && planIndex + 1 < args.Length)
{
    // Every argument after --plan up to the next option is a query: one engine load reads them all.
    foreach (var query in args.Skip(planIndex + 1).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)))
    {
        var response = (await engine.SearchAsync([new EngineQuery("plan", SearchRequestNormalizer.Normalize(new SearchRequest { Query = query, Limit = 10 }))]))[0];
        var plan = engine.Plan(new SearchRequest { Query = query });
        Console.WriteLine($"## {query}");
        Console.WriteLine($"unread phrases: {string.Join(" | ", plan.UnreadPhrases)}");
        foreach (var phrase in plan.UnreadPhrases)
        {
            var v = embedder.Embed([phrase])[0];  // phrases are matched to labels without the query prefix, as in the engine
            Console.WriteLine($"  nearest to \"{phrase}\": {engine.Planner.Labels.Nearest(v)}");
        }
        Console.WriteLine(JsonSerializer.Serialize(response.Interpretation));
        foreach (var h in response.Results) Console.WriteLine($"{h.Title,-45} {h.Year} {h.Genre,-20} {h.Score:0.0000} {string.Join(" | ", h.Explanation!.Reasons)}");
        Console.WriteLine();
    }
    return 0;
}

var queries = JudgedQuery.Load(JudgedQuery.DefaultPath(root));
var evaluator = new Evaluator(engine);
var results = new Dictionary<EvalSystem, IReadOnlyList<QueryScore>>();
foreach (var system in Enum.GetValues<EvalSystem>()) results[system] = await evaluator.RunAsync(queries, system);

if (args.Contains("--per-query"))
{
    foreach (var q in queries)
    foreach (var system in Enum.GetValues<EvalSystem>())
    {
        var s = results[system].Single(r => r.Query.Id == q.Id);
        Console.WriteLine($"{q.Id} {q.Half,-7} {q.Capability,-9} {system,-12} nDCG {s.Metrics.Ndcg:0.000} P {s.Metrics.Precision:0.000} MRR {s.Metrics.Mrr:0.000}  {q.Query}  → {string.Join(" / ", s.TopTitles)}");
    }
    Console.WriteLine();
}

Console.WriteLine($"{queries.Count} judged queries ({queries.Count(q => q.Half == "tune")} tune, {queries.Count(q => q.Half == "heldout")} held-out); metrics at 10");
Console.WriteLine($"| System | Half | nDCG@10 | P@10 | MRR |");
Console.WriteLine($"|---|---|---|---|---|");
foreach (var system in Enum.GetValues<EvalSystem>())
foreach (var half in new[] { "tune", "heldout", "all" })
{
    var m = Metrics.Mean(results[system].Where(r => half == "all" || r.Query.Half == half).Select(r => r.Metrics));
    Console.WriteLine($"| {system} | {half} | {m.Ndcg:0.000} | {m.Precision:0.000} | {m.Mrr:0.000} |");
}

// Per-query work outside the model and the vector index: planning, enrichment and ranking (second pass, warm).
var warm = evaluator.Timings.Skip(queries.Count / 2).ToArray();
Console.WriteLine();
Console.WriteLine($"Full pipeline, mean per query over {warm.Length} warm searches: plan {warm.Average(t => t.Plan):0.00} ms, " +
    $"enrich {warm.Average(t => t.Enrich):0.00} ms, rank {warm.Average(t => t.Rank):0.00} ms (plan+enrich+rank {warm.Average(t => t.Plan + t.Enrich + t.Rank):0.00} ms); " +
    $"embed {warm.Average(t => t.Embed):0.00} ms, search {warm.Average(t => t.Search):0.00} ms");

if (args.Contains("--record"))
{
    var heldOut = Metrics.Mean(results[EvalSystem.FullPipeline].Where(r => r.Query.Half == "heldout").Select(r => r.Metrics)).Ndcg;
    var path = Path.Combine(root, "eval", "baseline.json");
    // Rounded down, so the value measured now passes; any real drop fails the CI test.
    var floor = Math.Floor(heldOut * 1000) / 1000;
    File.WriteAllText(path, JsonSerializer.Serialize(new { heldOutFullPipelineNdcg10 = floor }) + "\n");
    Console.WriteLine($"Recorded {floor.ToString("0.000", CultureInfo.InvariantCulture)} in {path}");
}
return 0;
