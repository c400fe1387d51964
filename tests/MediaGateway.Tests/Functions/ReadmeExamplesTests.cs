using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MediaGateway.Tests.Security;
using MediaGateway.Tests.Support;

namespace MediaGateway.Tests.Functions;

/// <summary>
/// The README's example requests, sent to the real local gateway (the embedded default `scripts/run-local.sh` starts: demo
/// catalog, default model, CPU backend), must answer what the README shows: the same titles in the same order with the
/// same scores to the four decimals printed, the same interpretation, the same JSON bodies and problems. A change to the
/// ranking or the model then fails here until the README's examples are rerun, instead of leaving them to drift.
/// </summary>
[Collection(LocalGatewayCollection.Name)]
public sealed partial class ReadmeExamplesTests(LocalGatewayFixture gateway)
{
    /// <summary>Fields that differ on every run: ids, clocks, timings, whether the cache answered.</summary>
    private static readonly string[] Volatile = ["jobId", "completedAt", "timingsMs", "cached"];

    private static int _client;

    private static IReadOnlyList<ReadmeExample> Readme() => ReadmeExample.All(File.ReadAllText(Path.Combine(EngineFixture.RepositoryRoot, "README.md")));

    public static TheoryData<ReadmeExample> Examples => new(Readme());

    [Fact]
    public void The_README_has_the_examples_this_test_runs()
    {
        // Searches (full and shortened), a filtered search, an item, similar items, recommendations, concepts, a 400 problem.
        var examples = Readme();
        Assert.True(examples.Count >= 10, $"found {examples.Count} examples: {string.Join("; ", examples)}");
        Assert.Contains(examples, e => e.Path == "/api/v1/media/alien-1979");
        Assert.Contains(examples, e => e.Output[0].StartsWith("HTTP/1.1 400", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task The_gateway_answers_what_the_README_shows(ReadmeExample example)
    {
        var request = LocalGatewayFixture.From($"198.18.40.{Interlocked.Increment(ref _client) % 250}", new HttpRequestMessage(new HttpMethod(example.Method), example.Path));
        if (example.Body is not null) request.Content = new StringContent(example.Body, Encoding.UTF8, "application/json");
        using var response = await gateway.Client.SendAsync(request);
        var actual = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        var output = example.Output;
        if (output[0].StartsWith("HTTP/1.1 ", StringComparison.Ordinal))
        {
            // A status line, headers, a blank line, the body.
            Assert.Equal(int.Parse(output[0].Split(' ')[1], CultureInfo.InvariantCulture), (int)response.StatusCode);
            AssertSameJson(example, JsonNode.Parse(string.Join("\n", output.SkipWhile(l => l.Length > 0).Skip(1)))!, actual);
            return;
        }
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        if (output[0].StartsWith('{'))
        {
            AssertSameJson(example, JsonNode.Parse(string.Join("\n", output))!, actual);
            return;
        }

        // Shortened: the interpretation as JSON, then one line per result: title, year, ..., score, ...
        var results = actual["results"]!.AsArray();
        var shown = output.Where(l => l.Length > 0 && !l.StartsWith('"')).Select(l => ResultLine().Match(l)).ToList();
        Assert.All(shown, m => Assert.True(m.Success, $"{example}: a result line the test cannot read"));
        Assert.Equal(
            shown.Select(m => $"{m.Groups["title"].Value} ({m.Groups["year"].Value}) {m.Groups["score"].Value}"),
            results.Select(r => $"{r!["title"]} ({r["year"]}) {r["score"]!.GetValue<double>().ToString("F4", CultureInfo.InvariantCulture)}"));
        if (output.FirstOrDefault(l => l.StartsWith("\"interpretation\": ", StringComparison.Ordinal)) is { } interpretation)
            AssertSameJson(example, JsonNode.Parse(interpretation["\"interpretation\": ".Length..])!, actual["interpretation"]!);
    }

    private static void AssertSameJson(ReadmeExample example, JsonNode expected, JsonNode actual)
    {
        foreach (var node in new[] { expected, actual })
            if (node is JsonObject o)
                foreach (var name in Volatile) o.Remove(name);
        Assert.True(JsonNode.DeepEquals(expected, actual), $"{example}: the README shows{Environment.NewLine}{expected.ToJsonString()}{Environment.NewLine}the gateway answers{Environment.NewLine}{actual.ToJsonString()}");
    }

    /// <summary>"Title  1980  [genre]  0.4911  ...": the title ends at the first run of two spaces before the year.</summary>
    [GeneratedRegex(@"^(?<title>\S.*?)\s{2,}(?<year>\d{4})\s.*?(?<score>\d\.\d{4})(\s|$)")]
    private static partial Regex ResultLine();
}
