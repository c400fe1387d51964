using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.VectorSearch;
using MediaGateway.Engine.VectorStores;

namespace MediaGateway.Engine.Query;

/// <summary>
/// Named catalog items, by id: "more like X" excludes X through <c>Not(RowConstraint)</c>, and recommendations
/// exclude the items the caller already liked or disliked the same way.
/// </summary>
public sealed record RowConstraint(IReadOnlySet<string> Ids, string Description) : IConstraint
{
    public RowConstraint(string id, string title) : this(new HashSet<string>([id], StringComparer.Ordinal), $"the item {title}") { }

    public string Describe() => Description;

    public bool Matches(CatalogItem item) => Ids.Contains(item.Id);

    public RowFilter Rows(CatalogIndex index)
    {
        var rows = new RowFilter(index.Rows);
        foreach (var id in Ids)
            if (index.Catalog.TryGetRow(id, out var row)) rows.Set(row);
        return rows;
    }

    public string Explain(CatalogItem item) => Describe();

    public FilterClause? ToClause() => new IncludeIdsClause(Ids.Order(StringComparer.Ordinal).ToArray());
}
