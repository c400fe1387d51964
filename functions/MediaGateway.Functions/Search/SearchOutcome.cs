using MediaGateway.Contracts.Search;

namespace MediaGateway.Functions.Search;

/// <summary>What a search request led to.</summary>
public abstract record SearchOutcome
{
    public sealed record Completed(SearchResponse Response) : SearchOutcome;
    public sealed record Pending(string JobId) : SearchOutcome;
    public sealed record Failed(string JobId, string Error) : SearchOutcome;
}
