using MediaGateway.Engine.Ontology;
using MediaGateway.Engine.VectorStores;

namespace MediaGateway.Engine.Query;

/// <summary>
/// Which of the planner's facets and numbers a vector store can test itself (<see cref="FilterField"/>: the
/// fields a server store keeps beside each vector). The rest (kind, distributor, budgets, grosses…) live only
/// in the engine's catalog, so constraints on them reach a server store as the ids they admit.
/// </summary>
public static class FilterFields
{
    public static FilterField? Of(FacetField field) => field switch
    {
        FacetField.Genre => FilterField.Genre,
        FacetField.CreativeType => FilterField.CreativeType,
        FacetField.MpaaRating => FilterField.MpaaRating,
        FacetField.Source => FilterField.Source,
        FacetField.Director => FilterField.Director,
        _ => null,
    };

    public static FilterField? Of(NumericAttribute attribute) =>
        attribute == NumericAttribute.Year ? FilterField.Year
        : attribute == NumericAttribute.Runtime ? FilterField.RuntimeMinutes
        : attribute == NumericAttribute.ImdbRating ? FilterField.ImdbRating
        : null;

    /// <summary>"Has one of these facet values" as clauses, one per field, any of which may hold; null when a field has no store field.</summary>
    public static IReadOnlyList<FilterClause>? AnyOf(IEnumerable<FacetValue> values)
    {
        var clauses = new List<FilterClause>();
        foreach (var group in values.GroupBy(v => v.Field))
        {
            if (Of(group.Key) is not { } field) return null;
            clauses.Add(new AnyOfClause(field, group.Select(v => v.Value).ToArray()));
        }
        return clauses;
    }

    /// <summary>One clause when there is one, else their disjunction.</summary>
    public static FilterClause Either(IReadOnlyList<FilterClause> clauses) => clauses.Count == 1 ? clauses[0] : new AnyClause(clauses);
}
