using MediaGateway.Contracts.Search;

namespace MediaGateway.Contracts.Batches;

/// <summary>
/// The rules for a batch: 1–1,000 queries, each checked by <see cref="SearchRequestValidator"/> exactly as a
/// single search is, its errors named by position (<c>queries[3].query</c>).
/// </summary>
public static class BatchSearchRequestValidator
{
    public static IReadOnlyList<ValidationError> Validate(BatchSearchRequest? request)
    {
        if (request is null) return [new("body", "A JSON object with a 'queries' list is required.")];
        if (request.Queries is null) return [new("queries", $"is required: a list of 1 to {BatchLimits.MaxQueries} search requests.")];
        if (request.Queries.Count == 0) return [new("queries", "must not be empty.")];
        if (request.Queries.Count > BatchLimits.MaxQueries) return [new("queries", $"must have at most {BatchLimits.MaxQueries} entries (got {request.Queries.Count}).")];

        var errors = new List<ValidationError>();
        for (var i = 0; i < request.Queries.Count; i++)
        {
            if (request.Queries[i] is not { } query)
                errors.Add(new($"queries[{i}]", "must be a search request object, not null."));
            else if (query.Discovery is not null)
                // The discovery part belongs to the discovery routes (their own limits and 404s), as on POST /search.
                errors.Add(new($"queries[{i}].discovery", "is not a search field; use /api/v1/media, /recommendations or /concepts."));
            else
                errors.AddRange(SearchRequestValidator.Validate(query).Select(e => new ValidationError($"queries[{i}].{e.Field}", e.Message)));
        }
        if (errors.Count <= BatchLimits.MaxReportedErrors) return errors;
        var total = errors.Count;
        return [.. errors.Take(BatchLimits.MaxReportedErrors), new("queries", $"{total - BatchLimits.MaxReportedErrors} more errors are not listed.")];
    }
}
