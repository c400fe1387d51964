using MediaGateway.Engine.Catalog;

namespace MediaGateway.Engine.VectorStores;

/// <summary>
/// At least one of <see cref="Clauses"/> holds (none: nothing matches). How a constraint that spans fields
/// reaches a server store as its own expression: a concept such as "1980s horror" is "genre Horror, or
/// released 1980–1989", and "Disney or Pixar" names values of more than one facet.
/// </summary>
public sealed record AnyClause : FilterClause
{
    public AnyClause(IReadOnlyList<FilterClause> clauses)
    {
        ArgumentNullException.ThrowIfNull(clauses);
        Clauses = clauses;
    }

    public IReadOnlyList<FilterClause> Clauses { get; }

    public override bool Matches(CatalogItem item) => Clauses.Any(c => c.Matches(item));

    public override string ToString() => "(" + string.Join(" or ", Clauses) + ")";
}
