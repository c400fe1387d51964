using MediaGateway.Engine.Catalog;

namespace MediaGateway.Engine.VectorStores;

/// <summary>
/// The item is one of these ids (compared exactly). This is how a server store receives what only the engine
/// can evaluate: the catalog ids of the rows admitted by the planner's constraints that have no typed clause
/// (facets and numbers the store does not keep), so a server store answers exactly what the embedded index
/// answers with its row bitset. Constraints on stored fields travel as their own clauses and cost no ids.
/// </summary>
public sealed record IncludeIdsClause : FilterClause
{
    private readonly HashSet<string> _set;

    public IncludeIdsClause(IReadOnlyList<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        Ids = ids;
        _set = new HashSet<string>(ids, StringComparer.Ordinal);
    }

    public IReadOnlyList<string> Ids { get; }

    public override bool Matches(CatalogItem item) => _set.Contains(item.Id);
}
