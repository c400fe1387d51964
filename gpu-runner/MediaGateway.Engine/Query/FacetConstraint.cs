using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Ontology;
using MediaGateway.Engine.VectorSearch;
using MediaGateway.Engine.VectorStores;

namespace MediaGateway.Engine.Query;

/// <summary>The item has at least one of <see cref="Values"/> (any field among them; case-insensitive).</summary>
public sealed record FacetConstraint(IReadOnlyList<FacetValue> Values) : IConstraint
{
    public FacetConstraint(FacetField field, params IEnumerable<string> values) : this(values.Select(v => new FacetValue(field, v)).ToArray()) { }

    public string Describe() => string.Join(" or ", Values.GroupBy(v => v.Field).Select(g => $"{FacetValue.NameOf(g.Key)} {string.Join("/", g.Select(v => v.Value))}"));

    public bool Matches(CatalogItem item) => Values.Any(v => Has(item, v));

    public RowFilter Rows(CatalogIndex index) => RowFilter.Union(index.Rows, Values.Select(index.Postings));

    public string Explain(CatalogItem item) => Values.FirstOrDefault(v => Has(item, v)) is { } v ? v.ToString() : Describe();

    public FilterClause? ToClause() => FilterFields.AnyOf(Values) is { } clauses ? FilterFields.Either(clauses) : null;

    /// <summary>The one definition of "the item has this facet value".</summary>
    public static bool Has(CatalogItem item, FacetValue v) => CatalogIndex.HasValue(item, v.Field, v.Value);
}
