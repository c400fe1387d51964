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
        int Close(int from, int opened) => Array.IndexOf(lines, "```", from) is var end and >= 0
            ? end
            : throw new InvalidDataException($"README.md:{opened + 1}: a code block is never closed");
        var examples = new List<ReadmeExample>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i] != "```bash") continue;
            var start = i + 1;
            var end = Close(start, i);
            // Continuation lines ("... \") make one command.
            var command = string.Join(" ", lines[start..end].Select(l => l.TrimEnd('\\').Trim()));
            i = end;
            if (!command.StartsWith("curl ", StringComparison.Ordinal) || !command.Contains("localhost:7071", StringComparison.Ordinal)
                || command.Contains("$KEY", StringComparison.Ordinal))
                continue;
            // A request to the gateway that this parser cannot read would silently go untested.
            var request = CurlPattern().Match(command);
            if (!request.Success) throw new InvalidDataException($"README.md:{start + 1}: a request the examples test cannot read: {command}");
            if (end + 1 >= lines.Length || lines[end + 1] is not ("```" or "```json"))
                throw new InvalidDataException($"README.md:{start + 1}: the request is not followed by its output block");
            var outputEnd = Close(end + 2, end + 1);
            var body = request.Groups["body"].Success ? request.Groups["body"].Value : null;
            examples.Add(new ReadmeExample(start + 1, body is null ? "GET" : "POST", request.Groups["path"].Value, body, lines[(end + 2)..outputEnd]));
            i = outputEnd;
        }
        return examples;
    }

    [GeneratedRegex(@"^curl -s (?:-i )?'?localhost:7071(?<path>/api/v1/[^' ]+)'?(?: -H '[^']*')*(?: -d '(?<body>[^']*)')?\s*\z")]
    private static partial Regex CurlPattern();
}
