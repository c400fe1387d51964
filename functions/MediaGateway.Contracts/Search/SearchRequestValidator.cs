namespace MediaGateway.Contracts.Search;

/// <summary>One thing wrong with a request, named by its JSON path so a caller can find it.</summary>
public sealed record ValidationError(string Field, string Message);

/// <summary>
/// The single set of rules for a search request. The HTTP function uses it to answer 400, and the
/// gpu-runner uses it again on every queue message, because a queue can be written by anyone with access.
/// </summary>
public static class SearchRequestValidator
{
    public static IReadOnlyList<ValidationError> Validate(SearchRequest? request)
    {
        var errors = new List<ValidationError>();
        if (request is null)
        {
            errors.Add(new("body", "A JSON object with a 'query' field is required."));
            return errors;
        }

        if (string.IsNullOrWhiteSpace(request.Query))
            errors.Add(new("query", "must be a non-empty string."));
        else if (request.Query.Length > SearchLimits.MaxQueryLength)
            errors.Add(new("query", $"must be at most {SearchLimits.MaxQueryLength} characters."));
        else if (request.Query.Any(char.IsControl))
            errors.Add(new("query", "must not contain control characters."));

        if (request.Limit is { } limit && (limit < 1 || limit > SearchLimits.MaxLimit))
            errors.Add(new("limit", $"must be between 1 and {SearchLimits.MaxLimit}."));

        if (request.Filters is { } f)
        {
            ValidateValues(errors, "filters.genres", f.Genres);
            ValidateValues(errors, "filters.creativeTypes", f.CreativeTypes);
            ValidateValues(errors, "filters.mpaaRatings", f.MpaaRatings);
            ValidateRange(errors, "filters.yearRange", f.YearRange, SearchLimits.MinYear, SearchLimits.MaxYear);
            ValidateRange(errors, "filters.runtimeRange", f.RuntimeRange, 0, SearchLimits.MaxRuntimeMinutes);
            if (f.MinRating is { } r && (double.IsNaN(r) || r < 0 || r > 10))
                errors.Add(new("filters.minRating", "must be between 0 and 10."));
        }
        return errors;
    }

    private static void ValidateValues(List<ValidationError> errors, string field, IReadOnlyList<string>? values)
    {
        if (values is null) return;
        if (values.Count == 0)
            errors.Add(new(field, "must not be an empty list; omit the field to not filter."));
        else if (values.Count > SearchLimits.MaxFilterValues)
            errors.Add(new(field, $"must have at most {SearchLimits.MaxFilterValues} values."));
        else if (values.Any(v => string.IsNullOrWhiteSpace(v) || v.Length > SearchLimits.MaxFilterValueLength))
            errors.Add(new(field, $"values must be non-empty strings of at most {SearchLimits.MaxFilterValueLength} characters."));
        else if (values.Any(SafeText.HasControlCharacters))
            errors.Add(new(field, "values must not contain control characters (NUL, newlines ...)."));
    }

    private static void ValidateRange(List<ValidationError> errors, string field, IReadOnlyList<int>? range, int min, int max)
    {
        if (range is null) return;
        if (range.Count != 2)
            errors.Add(new(field, "must be a two-element array [from, to]."));
        else if (range[0] > range[1])
            errors.Add(new(field, "from must not be greater than to."));
        else if (range[0] < min || range[1] > max)
            errors.Add(new(field, $"must lie within [{min}, {max}]."));
    }
}
