using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace MediaGateway.Contracts.Jobs;

/// <summary>
/// The one rule for job ids, checked on HTTP routes and on queue messages alike, and the one way to make
/// them: a job id is a random handle (128 bits), so it says nothing about the request and cannot be guessed
/// or enumerated. The request's hash is a separate, internal cache key (<see cref="Search.SearchRequestNormalizer.CacheKeyFor"/>).
/// </summary>
public static partial class JobIds
{
    public const string Rule = "1–64 letters, digits or dashes";

    public static bool IsValid(string? id) => id is not null && Pattern().IsMatch(id);

    /// <summary>A new job handle: 32 lowercase hex digits from the system's cryptographic random generator.</summary>
    public static string NewHandle() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    // \z, not $: "$" also matches before a final newline, which would let "id\n" through.
    [GeneratedRegex(@"^[A-Za-z0-9-]{1,64}\z")]
    private static partial Regex Pattern();
}
