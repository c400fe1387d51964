using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Ontology;
using MediaGateway.Engine.VectorSearch;
using MediaGateway.Engine.VectorStores;

namespace MediaGateway.Engine.Query;

/// <summary>
/// The item carries a concept through the graph: a catalog value or year span of the concept itself or of a
/// concept its expansion reaches. <see cref="Relations"/> says which expansions count: a filter uses the
/// concept and what is below it; a boost also what is related or (for a concept that names nothing) above.
/// </summary>
public sealed record ConceptConstraint(Concept Concept, IReadOnlyList<ConceptExpansion> Expansion, IReadOnlySet<ConceptRelation> Relations) : IConstraint
{
    public static readonly IReadOnlySet<ConceptRelation> ExactAndNarrower = new HashSet<ConceptRelation> { ConceptRelation.Exact, ConceptRelation.Narrower };
    public static readonly IReadOnlySet<ConceptRelation> ExactNarrowerAndBroader = new HashSet<ConceptRelation> { ConceptRelation.Exact, ConceptRelation.Narrower, ConceptRelation.Broader };
    public static readonly IReadOnlySet<ConceptRelation> Any = new HashSet<ConceptRelation>(Enum.GetValues<ConceptRelation>());

    private IEnumerable<ConceptExpansion> Counted => Expansion.Where(IsCounted);

    private bool IsCounted(ConceptExpansion e) => Relations.Contains(e.Relation) && (e.Concept.Facets.Count > 0 || e.Concept.Years is not null);

    /// <summary>True when the concept names catalog values through the counted relations, i.e. it can filter at all.</summary>
    public bool NamesAnything => Counted.Any();

    public string Describe() => $"concept {Concept.PrefLabel}";

    public bool Matches(CatalogItem item) => BestMatch(item) is not null;

    /// <summary>The strongest expansion the item carries (expansions come best first), or null.</summary>
    public ConceptExpansion? BestMatch(CatalogItem item)
    {
        // Indexed loops, not LINQ: the enrich stage asks this for every candidate of every query that prefers a concept.
        for (var i = 0; i < Expansion.Count; i++)
            if (IsCounted(Expansion[i]) && Carries(item, Expansion[i].Concept)) return Expansion[i];
        return null;
    }

    /// <summary>
    /// How strongly the item carries the concept, 0 when not at all: its best expansion's weight, and for a concept that
    /// stands in through the concepts above it, the share of their fields the item carries them in (Space opera is genre
    /// Adventure and creative type Science Fiction: an item with one of them is half as likely one as an item with both;
    /// War film is genre Drama or Action, one field, and a film has one genre, so either counts in full).
    /// </summary>
    public double Degree(CatalogItem item) => BestMatch(item) is { } best ? Degree(item, best) : 0;

    /// <summary>The degree of <see cref="Degree(CatalogItem)"/> for an item whose <see cref="BestMatch"/> is already known.</summary>
    public double Degree(CatalogItem item, ConceptExpansion best)
    {
        if (best.Relation != ConceptRelation.Broader) return best.Weight;
        var fields = new HashSet<string>();
        var carried = new HashSet<string>();
        for (var i = 0; i < Expansion.Count; i++)
        {
            if (Expansion[i].Relation != ConceptRelation.Broader || !IsCounted(Expansion[i])) continue;
            var above = Expansion[i].Concept;
            var field = above.Facets.Count > 0 ? above.Facets[0].Field.ToString() : "year";
            fields.Add(field);
            if (Carries(item, above)) carried.Add(field);
        }
        return best.Weight * carried.Count / fields.Count;
    }

    public RowFilter Rows(CatalogIndex index) => RowFilter.Union(index.Rows, Counted.SelectMany(e => RowsOf(index, e.Concept)));

    /// <summary>
    /// The path from the concept asked for to the value the item has. A concept above it stands in only because nothing
    /// below carries a value (War film → Action): said as such, so the reason never claims the item is a war film.
    /// </summary>
    public string Explain(CatalogItem item) => BestMatch(item) is not { } e ? Describe()
        : e.Relation == ConceptRelation.Broader ? $"{e.Concept.PrefLabel}, above {e.Path[0]} ({What(item, e.Concept)})"
        : $"{e.PathText} ({What(item, e.Concept)})";

    public FilterClause? ToClause()
    {
        var clauses = new List<FilterClause>();
        foreach (var e in Counted)
        {
            if (FilterFields.AnyOf(e.Concept.Facets) is not { } facets) return null;
            clauses.AddRange(facets);
            if (e.Concept.Years is { } y) clauses.Add(new RangeClause(FilterField.Year, y.From, y.To));
        }
        return FilterFields.Either(clauses);
    }

    /// <summary>The item has one of the concept's facet values or was released in its years.</summary>
    public static bool Carries(CatalogItem item, Concept c)
    {
        for (var i = 0; i < c.Facets.Count; i++)
            if (FacetConstraint.Has(item, c.Facets[i])) return true;
        return c.Years is { } y && item.Year is { } year && year >= y.From && year <= y.To;
    }

    private static IEnumerable<RowFilter> RowsOf(CatalogIndex index, Concept c)
    {
        foreach (var f in c.Facets) yield return index.Postings(f);
        if (c.Years is { } y) yield return index.Range(NumericAttribute.Year, y.From, y.To);
    }

    private static string What(CatalogItem item, Concept c) =>
        c.Facets.FirstOrDefault(f => FacetConstraint.Has(item, f)) is { } f ? f.ToString() : $"released {item.Year}";
}
