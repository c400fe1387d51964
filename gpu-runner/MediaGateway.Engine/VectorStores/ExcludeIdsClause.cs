using MediaGateway.Engine.Catalog;

namespace MediaGateway.Engine.VectorStores;

/// <summary>The item is none of these ids (compared exactly): "more like X" never answers X itself.</summary>
public sealed record ExcludeIdsClause : FilterClause
{
    public ExcludeIdsClause(IReadOnlyList<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        Ids = ids;
    }

    public IReadOnlyList<string> Ids { get; }

    public override bool Matches(CatalogItem item) => !Ids.Contains(item.Id, StringComparer.Ordinal);
}
