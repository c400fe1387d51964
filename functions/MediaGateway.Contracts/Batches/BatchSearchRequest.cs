using System.Text.Json.Serialization;
using MediaGateway.Contracts.Search;

namespace MediaGateway.Contracts.Batches;

/// <summary>The body of <c>POST /api/v1/search/batch</c>: up to <see cref="BatchLimits.MaxQueries"/> search requests, each one as <c>POST /api/v1/search</c> takes it.</summary>
public sealed record BatchSearchRequest
{
    [JsonPropertyName("queries")] public IReadOnlyList<SearchRequest?>? Queries { get; init; }
}
