using System.Globalization;
using System.Text;

namespace MediaGateway.Gpu.Tests;

/// <summary>
/// The k-selection the GPU kernels share (native/include/mg_select.cuh: running lists, threshold,
/// bitonic top-K) run on the host through a one-thread harness and compared with a plain sort, for
/// k from 1 to 1024, ties, filtered rows and fewer candidates than k. It checks the network's logic;
/// races between real threads are what scripts/device-check.sh's parity run covers.
/// </summary>
public sealed class SelectionNetworkTests
{
    [Fact]
    public void Running_top_k_equals_a_full_sort_best_first_ties_to_the_lower_row()
    {
        var random = new Random(4);
        var cases = new List<(int K, int Step, int Buffer, List<(int Row, float Score)> Items)>();
        foreach (var k in new[] { 1, 2, 3, 10, 16, 100, 128, 129, 500, 1000, 1024 })
            // A buffer of a whole sub-tile (the single-list kernels), and of 32 slots (the tensor-core kernels: rounds).
            foreach (var (step, buffer) in new[] { (128, 128), (256, 256), (128, 32) })
                foreach (var n in new[] { 0, 1, k / 2, k, 3 * k + 7, 5000 })
                {
                    // Few distinct scores, so many ties; some rows filtered out (-1), rows in random order.
                    var distinct = random.Next(2, 200);
                    var rows = Enumerable.Range(0, n).OrderBy(_ => random.Next()).ToArray();
                    var items = rows.Select(r => (Row: random.Next(10) == 0 ? -1 : r, Score: (float)(random.Next(distinct) - distinct / 2) / distinct)).ToList();
                    cases.Add((k, step, buffer, items));
                }

        var input = new StringBuilder();
        foreach (var (k, step, buffer, items) in cases)
        {
            input.Append(CultureInfo.InvariantCulture, $"{k} {step} {buffer} {items.Count}\n");
            foreach (var (row, score) in items) input.Append(CultureInfo.InvariantCulture, $"{row} {Hex(score)}\n");
        }
        var output = RunHarness(input.ToString()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var line = 0;
        foreach (var (k, step, buffer, items) in cases)
        {
            Assert.Equal(k, int.Parse(output[line++], CultureInfo.InvariantCulture));
            var expected = items.Where(i => i.Row >= 0)
                .OrderByDescending(i => i.Score).ThenBy(i => i.Row).Take(k).ToList();
            for (var i = 0; i < k; i++)
            {
                var parts = output[line++].Split(' ');
                var row = int.Parse(parts[0], CultureInfo.InvariantCulture);
                if (i < expected.Count)
                {
                    Assert.True(row == expected[i].Row, $"k={k} step={step} buffer={buffer} n={items.Count}: position {i} holds row {row}, expected {expected[i].Row}");
                    Assert.Equal(expected[i].Score, ParseHex(parts[1]));
                }
                else
                {
                    Assert.True(row == -1, $"k={k} step={step} buffer={buffer} n={items.Count}: position {i} should be empty, holds row {row}");
                }
            }
        }
        Assert.Equal(output.Length, line);
    }

    private static string RunHarness(string stdin)
    {
        var dir = NativeTools.TempDirectory("select");
        try
        {
            var source = Path.Combine(NativeTools.RepositoryRoot, "tests", "MediaGateway.Gpu.Tests", "native", "select_harness.cpp");
            var exe = Path.Combine(dir, "select_harness");
            NativeTools.RunOrFail(NativeTools.Gxx, ["-std=c++17", "-O2", "-Wall", "-Wextra", "-Werror", "-I", NativeTools.IncludeDirectory, source, "-o", exe]);
            return NativeTools.RunOrFail(exe, [], stdin);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // Scores here are small fractions n/d; %a round-trips them exactly through decimal-free text.
    private static string Hex(float f) => f == 0 ? "0x0p+0" : FormattableString.Invariant($"{(f < 0 ? "-" : "")}0x{(long)Math.Round(Math.Abs((double)f) * (1L << 40)):x}p-40");

    private static float ParseHex(string text)
    {
        if (text is "-inf") return float.NegativeInfinity;
        var negative = text.StartsWith('-');
        var body = negative ? text[1..] : text;
        var p = body.IndexOf('p');
        var mantissa = body[2..p].Split('.');
        double value = long.Parse(mantissa[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        if (mantissa.Length > 1)
            for (var i = 0; i < mantissa[1].Length; i++)
                value += int.Parse(mantissa[1][i].ToString(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / Math.Pow(16, i + 1);
        var result = value * Math.Pow(2, int.Parse(body[(p + 1)..], CultureInfo.InvariantCulture));
        return (float)(negative ? -result : result);
    }
}
