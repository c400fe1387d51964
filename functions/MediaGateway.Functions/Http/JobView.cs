using MediaGateway.Contracts.Jobs;
using MediaGateway.Contracts.Search;

namespace MediaGateway.Functions.Http;

/// <summary>The body of <c>GET /api/v1/jobs/{id}</c> and of a 202. The cache key stays internal.</summary>
public sealed record JobView
{
    public required string JobId { get; init; }
    public required JobStatus Status { get; init; }
    public string? Error { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public SearchResponse? Result { get; init; }
}
