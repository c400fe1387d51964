namespace MediaGateway.Contracts.Search;

/// <summary>
/// What a catalog item id must be for the HTTP API to address it: in a request (<see cref="SearchRequestValidator"/>)
/// and in a path (<c>/api/v1/media/{id}</c>). The catalog importer holds imported ids to the same rule, so no item is
/// imported that no request could name.
/// </summary>
public static class CatalogItemIds
{
    /// <summary>
    /// Characters a URL path segment cannot carry as they are: '/' and '\' split the path (clients turn '\' into '/'),
    /// '?' starts the query and '#' the fragment.
    /// </summary>
    private static readonly char[] PathBreaking = ['/', '\\', '?', '#'];

    /// <summary>Why <paramref name="id"/> is not a catalog item id, as a phrase ("must be at most 128 characters"); null when it is one.</summary>
    public static string? Problem(string? id) =>
        ProblemOutsidePaths(id) ?? (id!.IndexOfAny(PathBreaking) >= 0 ? "must not contain '/', '\\', '?' or '#'" : null);

    /// <summary>
    /// The rule without the path characters, for names that never travel in a path: concepts in a recommendation
    /// request, named by id or by label ("Sci-Fi/Fantasy").
    /// </summary>
    public static string? ProblemOutsidePaths(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return "must be a non-empty catalog item id";
        if (id.Length > SearchLimits.MaxItemIdLength) return $"must be at most {SearchLimits.MaxItemIdLength} characters";
        if (SafeText.HasControlCharacters(id)) return "must not contain control characters";
        return null;
    }
}
