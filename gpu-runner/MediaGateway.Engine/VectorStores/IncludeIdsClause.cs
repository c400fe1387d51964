using MediaGateway.Engine.Catalog;

namespace MediaGateway.Engine.VectorStores;

/// <summary>
/// The item is one of these ids (compared exactly). This is how a server store receives the query planner's
/// admitted rows: the engine sends the catalog ids of the rows the planner's constraints allow, so a server
/// store answers exactly what the embedded index answers with its row bitset. A list of ids is fine for
/// catalogs of thousands to tens of thousands of admitted rows, but not for millions: translating the typed
/// constraints into native Milvus expressions is the next step for those.
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
