using System.Globalization;
using System.Text;
using MediaGateway.Engine.Ranking;

namespace MediaGateway.Gpu.Tests;

/// <summary>
/// The ranking formula exists twice: C# Ranking/Scoring.cs and native/include/mg_scoring.h (used by the
/// CUDA re-rank kernel). A g++ harness includes the header, reads random inputs on stdin and prints the
/// exact float bits of QualityPrior and Combine; the C# must agree within 1e-6 relative.
/// </summary>
public sealed class ScoringCrossCheckTests
{
    private const string Harness = """
        #include <stdio.h>
        #include <string.h>
        #include "mg_scoring.h"

        static unsigned bits(float f) { unsigned u; memcpy(&u, &f, sizeof u); return u; }

        int main(void)
        {
            float rating, votes, similarity, ontology, personal;
            mg_scoring_weights w;
            while (scanf("%a %a %a %a %a %a %a %a %a", &rating, &votes, &similarity, &ontology, &personal,
                         &w.similarity, &w.ontology_match, &w.quality_prior, &w.personalization) == 9)
            {
                float quality = mg_quality_prior(rating, votes);
                float score = mg_combine(w, similarity, ontology, quality, personal);
                printf("%08x %08x\n", bits(quality), bits(score));
            }
            return 0;
        }
        """;

    [Fact]
    public void The_C_header_and_the_CSharp_formula_agree_on_random_and_edge_inputs()
    {
        var inputs = Inputs().ToList();
        var output = RunHarness(inputs);
        Assert.Equal(inputs.Count, output.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            var x = inputs[i];
            var weights = new ScoringWeights { Similarity = x[5], OntologyMatch = x[6], QualityPrior = x[7], Personalization = x[8] };
            var quality = Scoring.QualityPrior(x[0], x[1]);
            var score = Scoring.Combine(weights, x[2], x[3], quality, x[4]);
            AssertClose(quality, output[i].Quality, $"QualityPrior({x[0]:R}, {x[1]:R})");
            // Combine is also checked on the C quality, so a prior difference is not counted twice.
            AssertClose(Scoring.Combine(weights, x[2], x[3], output[i].Quality, x[4]), output[i].Score, $"Combine(#{i})");
            AssertClose(score, output[i].Score, $"end-to-end score #{i}", tolerance: 2e-6);
        }
    }

    private static void AssertClose(float expected, float actual, string what, double tolerance = 1e-6)
    {
        if (float.IsNaN(expected) || float.IsNaN(actual))
        {
            Assert.True(float.IsNaN(expected) && float.IsNaN(actual), $"{what}: C# {expected:R}, C {actual:R}");
            return;
        }
        var scale = Math.Max(Math.Abs(expected), Math.Abs(actual));
        Assert.True(Math.Abs(expected - actual) <= tolerance * scale + 1e-12, $"{what}: C# {expected:R}, C {actual:R}");
    }

    private static IEnumerable<float[]> Inputs()
    {
        var random = new Random(20260401);
        float R(float lo, float hi) => lo + (float)random.NextDouble() * (hi - lo);
        // Edges of the formula: no rating, no votes, NaN, ratings above 10, exactly 100,000 votes, huge counts.
        float[][] edges =
        [
            [0f, 1000f], [7.5f, 0f], [-1f, 50f], [8f, -3f], [float.NaN, 10f], [6f, float.NaN],
            [12f, 1e6f], [10f, 99_999f], [10f, 100_000f], [3.3f, 1f], [9.9f, 2e9f], [float.Epsilon, float.Epsilon],
        ];
        foreach (var e in edges)
            yield return [e[0], e[1], R(-1, 1), R(0, 1), R(-1, 1), 1f, 0.3f, 0.1f, 0f];
        for (var i = 0; i < 2000; i++)
        {
            var votes = i % 3 == 0 ? MathF.Floor(R(0, 2_000_000)) : MathF.Pow(10f, R(0, 7));
            yield return [R(0, 10.5f), votes, R(-1, 1), R(0, 1), R(-1, 1), R(0, 2), R(0, 1), R(0, 1), R(0, 1)];
        }
    }

    private static List<(float Quality, float Score)> RunHarness(List<float[]> inputs)
    {
        var dir = NativeTools.TempDirectory("scoring");
        try
        {
            var source = Path.Combine(dir, "scoring_harness.cpp");
            var exe = Path.Combine(dir, "scoring_harness");
            File.WriteAllText(source, Harness);
            // -ffp-contract=off: no fused multiply-add, as the header requires (the C# never fuses either).
            NativeTools.RunOrFail(NativeTools.Gxx, ["-std=c++17", "-O2", "-ffp-contract=off", "-Wall", "-Wextra", "-Werror", "-I", NativeTools.IncludeDirectory, source, "-o", exe, "-lm"]);
            var stdin = new StringBuilder();
            foreach (var x in inputs) stdin.AppendLine(string.Join(' ', x.Select(HexFloat)));
            var output = NativeTools.RunOrFail(exe, [], stdin.ToString());
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(' '))
                .Select(p => (Bits(p[0]), Bits(p[1])))
                .ToList();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static float Bits(string hex) => BitConverter.Int32BitsToSingle(unchecked((int)uint.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));

    /// <summary>C99 hex float ("%a"), so inputs reach the C side without decimal rounding.</summary>
    private static string HexFloat(float f)
    {
        if (float.IsNaN(f)) return "nan";
        if (float.IsInfinity(f)) return f > 0 ? "inf" : "-inf";
        if (f == 0) return float.IsNegative(f) ? "-0x0p+0" : "0x0p+0";
        var bits = BitConverter.SingleToInt32Bits(f);
        var sign = bits < 0 ? "-" : "";
        var exponent = (bits >> 23) & 0xff;
        var mantissa = bits & 0x7fffff;
        return exponent == 0
            ? FormattableString.Invariant($"{sign}0x0.{mantissa << 1:x6}p-126")
            : FormattableString.Invariant($"{sign}0x1.{mantissa << 1:x6}p{exponent - 127}");
    }
}
