using System.Globalization;
using System.Text.Json;

namespace MediaGateway.Benchmarks;

/// <summary>
/// Draws the recall–QPS trade-off of every contender the way ann-benchmarks presents it: recall@10 across,
/// queries per second up a log axis, one line per index through its efSearch settings (one point for an exact
/// index). Reads DIR/results.json, which `bench_vs_peers.py report` writes with the recall it computed, and
/// writes DIR/recall-qps-b1.png and DIR/recall-qps-b64.png.
/// </summary>
public static class RecallQpsPlot
{
    public static int Write(string dir)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json")));
        var contenders = json.RootElement.EnumerateArray().ToList();
        if (contenders.Count == 0) throw new InvalidDataException($"{dir}/results.json lists no contender");
        var dim = contenders[0].GetProperty("dim").GetInt32();
        foreach (var (key, label) in new[] { ("qps_b1", "one query per call"), ("qps_b64", "batches of 64") })
        {
            var plot = new ScottPlot.Plot();
            foreach (var contender in contenders)
            {
                var points = contender.GetProperty("runs").EnumerateArray()
                    .Select(run => (Recall: run.GetProperty("recall").GetDouble(), Qps: run.GetProperty(key).GetDouble()))
                    .Where(p => p.Qps > 0)
                    .OrderBy(p => p.Recall)
                    .ToArray();
                if (points.Length == 0) continue;
                // The y axis is log10(QPS) with log-spaced ticks, which is how ScottPlot draws a log scale.
                var scatter = plot.Add.Scatter(points.Select(p => p.Recall).ToArray(), points.Select(p => Math.Log10(p.Qps)).ToArray());
                scatter.LegendText = $"{contender.GetProperty("name").GetString()} (N = {contender.GetProperty("n").GetInt64():N0})";
                scatter.MarkerSize = 7;
                scatter.LineWidth = points.Length > 1 ? 2 : 0;
            }
            plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
            {
                MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
                IntegerTicksOnly = true,
                LabelFormatter = y => Math.Pow(10, y).ToString("N0", CultureInfo.InvariantCulture),
            };
            plot.Title($"Recall–QPS, {dim}-d, {label} (up and to the right is better)");
            plot.XLabel("recall@10");
            plot.YLabel("queries per second (log)");
            plot.ShowLegend(ScottPlot.Alignment.LowerLeft);
            var path = Path.Combine(dir, $"recall-qps-{key["qps_".Length..]}.png");
            plot.SavePng(path, 900, 600);
            Console.Error.WriteLine($"[plot] {path}");
        }
        return 0;
    }
}
