using MediaGateway.Engine.Catalog;

namespace MediaGateway.Engine.VectorStores;

/// <summary>
/// A conjunction of typed clauses: a record passes when every clause holds. The engine sends each of the
/// query planner's constraints as its typed clause where it has one (<c>IConstraint.ToClause</c>) and the rows
/// the others admit as one <see cref="IncludeIdsClause"/>; the embedded store evaluates a filter with
/// <see cref="Matches"/>, a server store translates it into its own filter language.
/// </summary>
public sealed class VectorFilter
{
    public VectorFilter(IEnumerable<FilterClause> clauses)
    {
        Clauses = clauses.ToArray();
        if (Clauses.Count == 0) throw new ArgumentException("A filter needs at least one clause; use null for 'everything'.", nameof(clauses));
    }

    public IReadOnlyList<FilterClause> Clauses { get; }

    public bool Matches(CatalogItem item)
    {
        foreach (var clause in Clauses)
            if (!clause.Matches(item)) return false;
        return true;
    }

    /// <summary>This filter (or none) with more clauses; null when there are no clauses at all.</summary>
    public static VectorFilter? And(VectorFilter? filter, IEnumerable<FilterClause> more)
    {
        var all = (filter?.Clauses ?? []).Concat(more).ToArray();
        return all.Length == 0 ? null : new VectorFilter(all);
    }

    public override string ToString() => string.Join(" and ", Clauses);
}
