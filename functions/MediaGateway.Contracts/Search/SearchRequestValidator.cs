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

        if (request.Discovery is { } discovery)
        {
            // A discovery request carries its own inputs; only the concept lookup has text, in "query" (?q=).
            ValidateDiscovery(errors, discovery, "discovery.");
            if (discovery.Kind == DiscoveryKinds.Concepts) ValidateConceptQuery(errors, "query", request.Query);
            else if (!string.IsNullOrEmpty(request.Query)) errors.Add(new("query", "must be empty for a discovery request."));
            if (request.Filters is not null) errors.Add(new("filters", "are not supported with a discovery request."));
        }
        else if (string.IsNullOrWhiteSpace(request.Query))
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
            if (f.MinRating is { } r && (double.IsNaN(r) || r < 0 || r > SearchLimits.MaxRating))
                errors.Add(new("filters.minRating", $"must be between 0 and {SearchLimits.MaxRating}."));
        }
        return errors;
    }

    /// <summary>
    /// The rules of a discovery request's inputs, with its fields named under <paramref name="prefix"/> (empty for
    /// the public endpoints, "discovery." for a queue message).
    /// </summary>
    public static void ValidateDiscovery(List<ValidationError> errors, DiscoveryRequest discovery, string prefix)
    {
        if (discovery.Kind is null || !DiscoveryKinds.All.Contains(discovery.Kind))
        {
            errors.Add(new(prefix + "kind", $"must be one of {string.Join(", ", DiscoveryKinds.All)}."));
            return;
        }
        var needsItem = discovery.Kind is DiscoveryKinds.Item or DiscoveryKinds.Similar;
        if (needsItem) ValidateItemId(errors, prefix + "itemId", discovery.ItemId);
        else if (discovery.ItemId is not null) errors.Add(new(prefix + "itemId", $"is only for {DiscoveryKinds.Item} and {DiscoveryKinds.Similar}."));

        if (discovery.Kind != DiscoveryKinds.Recommend)
        {
            foreach (var (field, list) in new[] { ("liked", discovery.Liked), ("disliked", discovery.Disliked), ("concepts", discovery.Concepts) })
                if (list is not null) errors.Add(new(prefix + field, "is only for recommendations."));
            return;
        }
        ValidateIdList(errors, prefix + "liked", discovery.Liked, CatalogItemIds.Problem);
        ValidateIdList(errors, prefix + "disliked", discovery.Disliked, CatalogItemIds.Problem);
        ValidateIdList(errors, prefix + "concepts", discovery.Concepts, CatalogItemIds.ProblemOutsidePaths);
        if ((discovery.Liked?.Count ?? 0) == 0 && (discovery.Concepts?.Count ?? 0) == 0)
            errors.Add(new(prefix + "liked", "needs at least one item (or concepts at least one concept) to recommend from."));
        var disliked = discovery.Disliked ?? [];
        for (var i = 0; i < disliked.Count; i++)
            if (discovery.Liked?.Contains(disliked[i], StringComparer.Ordinal) == true)
                errors.Add(new($"{prefix}disliked[{i}]", "must not repeat an id that is also liked."));
    }

    /// <summary>A catalog item id as <see cref="CatalogItemIds"/> defines it (imported ids keep the same rule).</summary>
    public static void ValidateItemId(List<ValidationError> errors, string field, string? id)
    {
        if (CatalogItemIds.Problem(id) is { } problem) errors.Add(new(field, $"{problem}."));
    }

    /// <summary>The text of a concept lookup: 1–100 characters, no control characters.</summary>
    public static void ValidateConceptQuery(List<ValidationError> errors, string field, string? q)
    {
        if (string.IsNullOrWhiteSpace(q))
            errors.Add(new(field, "must be a non-empty string (the words to find concepts by)."));
        else if (q.Length > SearchLimits.MaxConceptQueryLength)
            errors.Add(new(field, $"must be at most {SearchLimits.MaxConceptQueryLength} characters."));
        else if (SafeText.HasControlCharacters(q))
            errors.Add(new(field, "must not contain control characters."));
    }

    private static void ValidateIdList(List<ValidationError> errors, string field, IReadOnlyList<string>? ids, Func<string?, string?> problemOf)
    {
        if (ids is null) return;
        if (ids.Count > SearchLimits.MaxRecommendationInputs)
        {
            errors.Add(new(field, $"must have at most {SearchLimits.MaxRecommendationInputs} entries."));
            return;
        }
        for (var i = 0; i < ids.Count; i++)
            if (problemOf(ids[i]) is { } problem) errors.Add(new($"{field}[{i}]", $"{problem}."));
    }

    /// <summary>A filter's list: its size is the list's error, each bad value its own, by position (<c>filters.genres[1]</c>).</summary>
    private static void ValidateValues(List<ValidationError> errors, string field, IReadOnlyList<string>? values)
    {
        if (values is null) return;
        if (values.Count == 0)
            errors.Add(new(field, "must not be an empty list; omit the field to not filter."));
        else if (values.Count > SearchLimits.MaxFilterValues)
            errors.Add(new(field, $"must have at most {SearchLimits.MaxFilterValues} values."));
        else
            for (var i = 0; i < values.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(values[i]) || values[i].Length > SearchLimits.MaxFilterValueLength)
                    errors.Add(new($"{field}[{i}]", $"must be a non-empty string of at most {SearchLimits.MaxFilterValueLength} characters."));
                else if (SafeText.HasControlCharacters(values[i]))
                    errors.Add(new($"{field}[{i}]", "must not contain control characters (NUL, newlines ...)."));
            }
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
