using MediaGateway.Engine.Catalog;

namespace MediaGateway.Engine.VectorStores;

/// <summary>
/// The item is none of these ids (compared exactly): "more like X" never answers X itself, and rows admitted by a
/// constraint the store cannot evaluate travel this way when they are most of the catalog ("not zombies" leaves out a few).
/// </summary>
public sealed record ExcludeIdsClause : FilterClause
{
    private readonly HashSet<string> _set;

    public ExcludeIdsClause(IReadOnlyList<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        Ids = ids;
        _set = new HashSet<string>(ids, StringComparer.Ordinal);
    }

    public IReadOnlyList<string> Ids { get; }

    public override bool Matches(CatalogItem item) => !_set.Contains(item.Id);
}
