using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MediaGateway.Contracts.Search;

/// <summary>
/// Turns equivalent requests ("Star  Wars" vs "star wars", genres in any order) into one canonical form,
/// and derives the cache key from it, so a repeated request finds the earlier answer.
/// </summary>
public static class SearchRequestNormalizer
{
    public static SearchRequest Normalize(SearchRequest request)
    {
        // Bidi controls change only how text is displayed: dropped, so they neither split a cache entry nor come back in the answer.
        var query = string.Join(' ', SafeText.WithoutBidiControls(request.Query ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .ToLowerInvariant().Normalize(NormalizationForm.FormC);
        var f = request.Filters;
        return new SearchRequest
        {
            Query = query,
            Limit = request.Limit ?? SearchLimits.DefaultLimit,
            Filters = f is null ? null : new SearchFilters
            {
                Genres = Canonical(f.Genres),
                CreativeTypes = Canonical(f.CreativeTypes),
                MpaaRatings = Canonical(f.MpaaRatings),
                YearRange = f.YearRange,
                RuntimeRange = f.RuntimeRange,
                MinRating = f.MinRating,
            },
            Discovery = Normalize(request.Discovery),
        };
    }

    /// <summary>
    /// Ids are trimmed but keep their case (a catalog's ids are its own); lists are sets, so their order is
    /// canonical; concept names are case-insensitive.
    /// </summary>
    private static DiscoveryRequest? Normalize(DiscoveryRequest? d) => d is null ? null : new DiscoveryRequest
    {
        Kind = d.Kind,
        ItemId = d.ItemId?.Trim(),
        Liked = d.Liked?.Select(v => v.Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(),
        Disliked = d.Disliked?.Select(v => v.Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(),
        Concepts = Canonical(d.Concepts),
    };

    /// <summary>
    /// The cache key of a normalised request on a catalog version: the SHA-256 of its canonical JSON (followed by
    /// a newline and the version, when there is one), 64 hex digits. The version is part of it so that a result
    /// computed on one catalog is never found for another. Internal: it is never a job id, because anyone could
    /// compute it for someone else's request.
    /// </summary>
    public static string CacheKeyFor(SearchRequest normalized, string? catalogVersion = null)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(normalized, ContractJson.Options);
        if (catalogVersion is not null) json = [.. json, (byte)'\n', .. Encoding.UTF8.GetBytes(catalogVersion)];
        return Convert.ToHexStringLower(SHA256.HashData(json));
    }

    private static IReadOnlyList<string>? Canonical(IReadOnlyList<string>? values) =>
        values?.Select(v => v.Trim().ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal).ToArray();
}
