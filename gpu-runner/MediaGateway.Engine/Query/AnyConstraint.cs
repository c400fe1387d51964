using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.VectorSearch;
using MediaGateway.Engine.VectorStores;

namespace MediaGateway.Engine.Query;

/// <summary>
/// At least one of <see cref="Options"/> holds: "horror from the 60s or the 80s" asks for either decade, two ranges no
/// item can be in at once (<see cref="PlanBuilder"/> joins such readings; adjacent ones become a single range).
/// </summary>
public sealed record AnyConstraint(IReadOnlyList<IConstraint> Options) : IConstraint
{
    public string Describe() => string.Join(" or ", Options.Select(o => o.Describe()));

    public bool Matches(CatalogItem item) => Options.Any(o => o.Matches(item));

    public RowFilter Rows(CatalogIndex index) => RowFilter.Union(index.Rows, Options.Select(o => o.Rows(index)));

    public string Explain(CatalogItem item) => Options.FirstOrDefault(o => o.Matches(item))?.Explain(item) ?? Describe();

    /// <summary>A store can test the options only if it can test each of them.</summary>
    public FilterClause? ToClause()
    {
        var clauses = Options.Select(o => o.ToClause()).ToArray();
        return clauses.All(c => c is not null) ? new AnyClause(clauses!) : null;
    }
}
