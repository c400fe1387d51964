using System.Text.RegularExpressions;

namespace MediaGateway.Tests.Functions;

/// <summary>
/// One example of the README: a <c>curl</c> request to the local gateway in a <c>bash</c> block, and the output block
/// right after it, as the README prints it (a whole JSON body, a status line and a problem, or the results shortened to
/// one line each).
/// </summary>
/// <param name="Line">Where the request is in README.md (1-based), to name a failing example.</param>
/// <param name="Method">GET, or POST when the request sends a body (<c>-d</c>).</param>
/// <param name="Path">The route and query string.</param>
/// <param name="Body">The JSON body, or null.</param>
/// <param name="Output">The output block's lines.</param>
public sealed partial record ReadmeExample(int Line, string Method, string Path, string? Body, IReadOnlyList<string> Output)
{
    public override string ToString() => $"README.md:{Line} {Method} {Path}";

    /// <summary>
    /// The examples whose answers do not change from run to run. Requests with the function key (<c>$KEY</c>) are left
    /// out: batches and imports, whose ids and times are new on every run.
    /// </summary>
    public static IReadOnlyList<ReadmeExample> All(string readme)
    {
        var lines = readme.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var examples = new List<ReadmeExample>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i] != "```bash") continue;
            var start = i + 1;
            var end = Array.IndexOf(lines, "```", start);
            // Continuation lines ("... \") make one command.
            var command = string.Join(" ", lines[start..end].Select(l => l.TrimEnd('\\').Trim()));
            i = end;
            var request = CurlPattern().Match(command);
            if (!request.Success || command.Contains("$KEY", StringComparison.Ordinal)) continue;
            if (end + 1 >= lines.Length || !lines[end + 1].StartsWith("```", StringComparison.Ordinal)) continue;
            var outputEnd = Array.IndexOf(lines, "```", end + 2);
            var body = request.Groups["body"].Success ? request.Groups["body"].Value : null;
            examples.Add(new ReadmeExample(start + 1, body is null ? "GET" : "POST", request.Groups["path"].Value, body, lines[(end + 2)..outputEnd]));
            i = outputEnd;
        }
        return examples;
    }

    [GeneratedRegex(@"^curl -s (?:-i )?'?localhost:7071(?<path>/api/v1/[^' ]+)'?(?: -H '[^']*')*(?: -d '(?<body>[^']*)')?\s*$")]
    private static partial Regex CurlPattern();
}
