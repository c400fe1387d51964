using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.VectorSearch;

namespace MediaGateway.Engine.Query;

/// <summary>Exactly one catalog item, by id: "more like X" excludes X itself through <c>Not(RowConstraint)</c>.</summary>
public sealed record RowConstraint(string Id, string Title) : IConstraint
{
    public string Describe() => $"the item {Title}";

    public bool Matches(CatalogItem item) => item.Id == Id;

    public RowFilter Rows(CatalogIndex index)
    {
        var rows = new RowFilter(index.Rows);
        if (index.Catalog.TryGetRow(Id, out var row)) rows.Set(row);
        return rows;
    }

    public string Explain(CatalogItem item) => Describe();
}
