using System.Globalization;
using MediaGateway.Contracts;
using MediaGateway.Contracts.Search;
using Microsoft.AspNetCore.Http;

namespace MediaGateway.Functions.Http;

/// <summary>
/// The one rule for query strings, called first by every HTTP function: a route takes only the parameters it names,
/// each at most once, so <c>POST /search?limit=5</c> is a 400 naming <c>limit</c>, not a search whose limit was
/// silently ignored. Names are matched case-insensitively, as <see cref="HttpRequest.Query"/> reads them.
/// </summary>
public static class QueryParameters
{
    /// <summary>The Functions host's way to send a function key (<c>?code=</c>): every route that needs a key takes it.</summary>
    public const string FunctionKey = "code";

    /// <summary>A 400 naming each parameter the route does not take and each it takes but was given more than once; null when all is well.</summary>
    public static JsonBodyResult? Refuse(HttpRequest request, params string[] known)
    {
        var errors = new List<FieldError>();
        foreach (var (name, values) in request.Query)
        {
            if (!known.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                var takes = known.Where(k => k != FunctionKey).ToArray();
                // The name is the caller's text: escaped and bounded before it is echoed.
                errors.Add(new(name.Length == 0 ? "(unnamed)" : SafeText.Escape(name, 60),
                    takes.Length == 0 ? "is not a query parameter of this route (it takes none)." : $"is not a query parameter of this route (it takes: {string.Join(", ", takes)})."));
            }
            else if (values.Count > 1) errors.Add(new(name.ToLowerInvariant(), "must be given once."));
        }
        return errors.Count == 0 ? null : Problems.Validation(errors, request.Path);
    }

    /// <summary>The optional <c>limit</c>: a whole number, 1–<see cref="SearchLimits.MaxLimit"/> (digits only: no sign, no spaces).</summary>
    public static int? Limit(HttpRequest request, List<ValidationError> errors)
    {
        var text = request.Query["limit"].FirstOrDefault();
        if (text is null) return null;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= SearchLimits.MaxLimit)
            return limit;
        errors.Add(new("limit", $"must be a whole number between 1 and {SearchLimits.MaxLimit}."));
        return null;
    }
}
