using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MediaGateway.Contracts.Jobs;

/// <summary>
/// The W3C Trace Context <c>traceparent</c> a queue message may carry, so the runner's spans join the gateway's trace.
/// A message is untrusted input: only version 00 in its exact form (55 characters, lowercase hex, non-zero ids) is
/// accepted; anything else is dropped (the job runs in a trace of its own), never logged, stored or echoed.
/// </summary>
public static partial class TraceParent
{
    public const int Length = 55;

    public static bool IsValid(string? value) => value is { Length: Length } && Pattern().IsMatch(value);

    /// <summary>The remote parent a valid <paramref name="value"/> names; null for null or anything malformed.</summary>
    public static ActivityContext? Parse(string? value) =>
        IsValid(value) && ActivityContext.TryParse(value, traceState: null, isRemote: true, out var context) ? context : null;

    /// <summary>The <c>traceparent</c> of <paramref name="activity"/>, when it has a W3C id (the .NET default).</summary>
    public static string? Of(Activity? activity) =>
        activity is { IdFormat: ActivityIdFormat.W3C, Id: { } id } && IsValid(id) ? id : null;

    [GeneratedRegex(@"^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}\z")]
    private static partial Regex Pattern();
}
