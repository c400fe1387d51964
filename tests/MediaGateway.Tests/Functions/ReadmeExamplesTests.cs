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

        // Shortened: the interpretation as JSON, then one line per result: title, year, [genre], score, [personalization x],
        // [matchedFields [...]], reasons [...].
        var results = actual["results"]!.AsArray();
        var shown = output.Where(l => l.Length > 0 && !l.StartsWith('"')).ToList();
        Assert.Equal(shown.Count, results.Count);
        for (var i = 0; i < shown.Count; i++)
        {
            var line = ResultLine().Match(shown[i]);
            Assert.True(line.Success, $"{example}: a result line the test cannot read: {shown[i]}");
            var result = results[i]!;
            var explanation = result["explanation"]!;
            Assert.Equal(
                Shown(line.Groups["title"].Value, line.Groups["year"].Value, line.Groups["genre"], line.Groups["score"].Value, line.Groups["personalization"],
                    line.Groups["matched"], line.Groups["reasons"].Value),
                Shown((string)result["title"]!, ((int)result["year"]!).ToString(CultureInfo.InvariantCulture), line.Groups["genre"].Success ? (string?)result["genre"] : null,
                    Four(result["score"]), line.Groups["personalization"].Success ? Four(explanation["personalization"]) : null,
                    line.Groups["matched"].Success ? result["matchedFields"]!.ToJsonString() : null, explanation["reasons"]!.ToJsonString()));
        }
        if (output.FirstOrDefault(l => l.StartsWith("\"interpretation\": ", StringComparison.Ordinal)) is { } interpretation)
            AssertSameJson(example, JsonNode.Parse(interpretation["\"interpretation\": ".Length..])!, actual["interpretation"]!);
    }

    private static string Four(JsonNode? number) => number!.GetValue<double>().ToString("F4", CultureInfo.InvariantCulture);

    private static string Shown(string title, string year, Group genre, string score, Group personalization, Group matched, string reasons) =>
        Shown(title, year, genre.Success ? genre.Value : null, score, personalization.Success ? personalization.Value : null,
            matched.Success ? JsonNode.Parse(matched.Value)!.ToJsonString() : null, JsonNode.Parse(reasons)!.ToJsonString());

    /// <summary>One result as the README line shows it, fields the line leaves out as null, arrays in one JSON spelling.</summary>
    private static string Shown(string title, string year, string? genre, string score, string? personalization, string? matched, string reasons) =>
        $"{title} ({year}) genre {genre} score {score} personalization {personalization} matchedFields {matched} reasons {reasons}";

    private static void AssertSameJson(ReadmeExample example, JsonNode expected, JsonNode actual)
    {
        foreach (var node in new[] { expected, actual })
            if (node is JsonObject o)
                foreach (var name in Volatile) o.Remove(name);
        Assert.True(JsonNode.DeepEquals(expected, actual), $"{example}: the README shows{Environment.NewLine}{expected.ToJsonString()}{Environment.NewLine}the gateway answers{Environment.NewLine}{actual.ToJsonString()}");
    }

    /// <summary>
    /// "Title  1980  [Genre]  0.4911  [personalization 0.2563]  [matchedFields [...]]  reasons [...]": columns are separated
    /// by runs of two or more spaces (a title or genre has single spaces only); reasons come last.
    /// </summary>
    [GeneratedRegex(@"^(?<title>\S.*?)\s{2,}(?<year>\d{4})\s{2,}(?:(?<genre>[A-Za-z][A-Za-z ]*?)\s{2,})?(?<score>\d\.\d{4})"
        + @"(?:\s{2,}personalization (?<personalization>\d\.\d{4}))?(?:\s{2,}matchedFields (?<matched>\[[^\]]*\]))?\s{2,}reasons (?<reasons>\[.*\])\s*\z")]
    private static partial Regex ResultLine();
}
