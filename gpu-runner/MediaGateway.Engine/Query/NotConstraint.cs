using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.VectorSearch;
using MediaGateway.Engine.VectorStores;

namespace MediaGateway.Engine.Query;

/// <summary>An exclusion: the item must not satisfy <see cref="Inner"/> ("not horror", "no remakes").</summary>
public sealed record NotConstraint(IConstraint Inner) : IConstraint
{
    public string Describe() => $"not {Inner.Describe()}";

    public bool Matches(CatalogItem item) => !Inner.Matches(item);

    public RowFilter Rows(CatalogIndex index) => Inner.Rows(index).Complement();

    public string Explain(CatalogItem item) => Describe();

    /// <summary>Only the exclusion of named items has a typed form ("more like X" never answers X).</summary>
    public FilterClause? ToClause() => Inner is RowConstraint rows ? new ExcludeIdsClause(rows.Ids.Order(StringComparer.Ordinal).ToArray()) : null;
}
