using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.VectorSearch;

namespace MediaGateway.Engine.Query;

/// <summary>An exclusion: the item must not satisfy <see cref="Inner"/> ("not horror", "no remakes").</summary>
public sealed record NotConstraint(IConstraint Inner) : IConstraint
{
    public string Describe() => $"not {Inner.Describe()}";

    public bool Matches(CatalogItem item) => !Inner.Matches(item);

    public RowFilter Rows(CatalogIndex index) => Inner.Rows(index).Complement();

    public string Explain(CatalogItem item) => Describe();
}
