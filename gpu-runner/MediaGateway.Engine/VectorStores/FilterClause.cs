using MediaGateway.Engine.Catalog;

namespace MediaGateway.Engine.VectorStores;

/// <summary>
/// One condition of a <see cref="VectorFilter"/>. The cases are closed (<see cref="AnyOfClause"/>,
/// <see cref="RangeClause"/>, <see cref="IncludeIdsClause"/>,
/// <see cref="ExcludeIdsClause"/>, and <see cref="AnyClause"/> over them) so every store can translate all of them.
/// </summary>
public abstract record FilterClause
{
    public abstract bool Matches(CatalogItem item);
}
