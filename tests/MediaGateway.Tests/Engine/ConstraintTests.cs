using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Ontology;
using MediaGateway.Engine.Query;
using MediaGateway.Engine.VectorSearch;
using MediaGateway.Engine.VectorStores;

namespace MediaGateway.Tests.Engine;

/// <summary>Request filters become constraints; every constraint's row set (from the indexes) equals its Matches.</summary>
public sealed class ConstraintTests
{
    private static CatalogItem Item(string id, int? year = null, string? genre = null, int? runtime = null, string? mpaa = null, double? rating = null, string? type = null, double? budget = null) =>
        new()
        {
            Id = id, Title = id, Year = year, Genres = genre is null ? [] : [genre], RuntimeMinutes = runtime, MpaaRating = mpaa, ImdbRating = rating, CreativeType = type, EmbeddingText = id,
            Attributes = budget is { } b ? new Dictionary<string, AttributeValue> { [CatalogAttributes.ProductionBudget] = AttributeValue.OfNumber(b) } : new Dictionary<string, AttributeValue>(),
        };

    private static readonly InMemoryCatalogStore Catalog = new([
        Item("halloween", 1978, "Horror", 91, "R", 7.9, "Contemporary Fiction", 325_000),
        Item("the-thing", 1982, "Horror", 109, "R", 8.2, "Science Fiction", 15e6),
        Item("gremlins", 1984, "Comedy", 106, "PG", 7.2, "Fantasy"),
        Item("undated-horror", null, "Horror", null, null, null),
        Item("aliens", 1986, "Action", 137, "R", 8.5, "Science Fiction", 18.5e6),
    ]);

    private static readonly CatalogIndex Index = new(Catalog);
    private static readonly QueryPlanner Planner = new(Catalog, Index, ConceptGraph.LoadEmbedded(), new ConceptLabels(ConceptGraph.LoadEmbedded()));

    private static string[] Allowed(SearchFilters filters)
    {
        var (_, rows) = Planner.Admit(Planner.Plan(new SearchRequest { Query = "x", Limit = 1, Filters = filters }));
        return Enumerable.Range(0, Catalog.Count).Where(rows!.Contains).Select(r => Catalog[r].Id).ToArray();
    }

    [Fact]
    public void Genre_and_year_range_combine_and_unknown_years_are_excluded() =>
        Assert.Equal(["the-thing"], Allowed(new SearchFilters { Genres = ["horror"], YearRange = [1980, 1989] }));

    [Fact]
    public void Runtime_range_is_inclusive() =>
        Assert.Equal(["the-thing", "gremlins"], Allowed(new SearchFilters { RuntimeRange = [106, 109] }));

    [Fact]
    public void Mpaa_creative_type_and_minimum_rating_filter() =>
        Assert.Equal(["aliens"], Allowed(new SearchFilters { MpaaRatings = ["R"], CreativeTypes = ["Science Fiction"], MinRating = 8.3 }));

    [Fact]
    public void Request_filters_are_never_relaxed_even_when_few_items_match()
    {
        var (plan, rows) = Planner.Admit(Planner.Plan(new SearchRequest { Query = "x", Limit = 10, Filters = new SearchFilters { Genres = ["Action"] } }));
        Assert.Equal(1, rows!.Count());
        Assert.All(plan.Interpretation, r => Assert.Equal(QueryEffect.Filter, r.Effect));
    }

    [Fact]
    public void A_filter_value_no_item_has_is_unknown_with_the_catalogs_values_listed()
    {
        var plan = Planner.Plan(new SearchRequest { Query = "x", Filters = new SearchFilters { Genres = ["HORROR", "Horor"], CreativeTypes = ["fantasy"], MpaaRatings = ["PG13", "G"] } });

        Assert.Equal([("filters.genres", "Horor"), ("filters.mpaaRatings", "PG13"), ("filters.mpaaRatings", "G")], plan.Unknown.Select(u => (u.Field, u.Value)));
        Assert.Equal(["Action", "Comedy", "Horror"], plan.Unknown[0].Known);
        Assert.Equal(["PG", "R"], plan.Unknown[1].Known);
        Assert.Equal("no catalog item has the MPAA rating 'G'; the catalog's are: PG, R.", plan.Unknown[2].Describe());
    }

    [Fact]
    public void An_unknown_filter_value_is_found_again_where_and_as_the_caller_sent_it()
    {
        var sent = new SearchRequest { Query = "x", Filters = new SearchFilters { Genres = ["Comedy", " Horor ", "Action", "HOROR"] } };
        var unknown = Assert.Single(Planner.Plan(SearchRequestNormalizer.Normalize(sent)).Unknown);

        Assert.Equal(("filters.genres", "horor"), (unknown.Field, unknown.Value));
        Assert.Equal([("filters.genres[1]", " Horor "), ("filters.genres[3]", "HOROR")], unknown.AsSentIn(sent).Select(u => (u.Field, u.Value)));
        Assert.Equal([unknown], new UnknownReference("filters.genres", "horor").AsSentIn(new SearchRequest { Query = "x" }).Select(u => u with { Known = unknown.Known }));
    }

    [Fact]
    public void Known_filter_values_in_any_case_leave_nothing_unknown() =>
        Assert.Empty(Planner.Plan(new SearchRequest { Query = "x", Filters = new SearchFilters { Genres = ["horror", "ACTION"], CreativeTypes = ["science fiction"], MpaaRatings = ["pg"] } }).Unknown);

    [Fact]
    public void No_filters_means_no_bitset() =>
        Assert.Null(Planner.Admit(Planner.Plan(new SearchRequest { Query = "x", Filters = new SearchFilters() })).Rows);

    public static TheoryData<string> Constraints => new()
    {
        "genre", "year-range", "year-open", "runtime", "budget", "not-horror", "concept-horror", "concept-1980s", "unknown-admitted", "mention", "either-decade",
    };

    [Theory]
    [MemberData(nameof(Constraints))]
    public void Index_rows_equal_matches_for_every_constraint_kind(string kind)
    {
        var graph = ConceptGraph.LoadEmbedded();
        IConstraint c = kind switch
        {
            "genre" => new FacetConstraint(FacetField.Genre, "horror", "Comedy"),
            "year-range" => new RangeConstraint(NumericAttribute.Year, 1980, 1984),
            "year-open" => new RangeConstraint(NumericAttribute.Year, null, 1982),
            "runtime" => new RangeConstraint(NumericAttribute.Runtime, 100, null),
            "budget" => new RangeConstraint(NumericAttribute.Budget, null, 16e6),
            "not-horror" => new NotConstraint(new FacetConstraint(FacetField.Genre, "Horror")),
            "concept-horror" => new ConceptConstraint(graph.Find("genre/horror")!, graph.Expand("genre/horror"), ConceptConstraint.ExactAndNarrower),
            "concept-1980s" => new ConceptConstraint(graph.Find("era/1980s")!, graph.Expand("era/1980s"), ConceptConstraint.Any),
            "mention" => new NotConstraint(new MentionConstraint(["things", "Gremlin"], "names things or gremlins")),
            "either-decade" => new AnyConstraint([new RangeConstraint(NumericAttribute.Year, 1970, 1979), new RangeConstraint(NumericAttribute.Year, 1990, 1999)]),
            _ => new RangeConstraint(NumericAttribute.Runtime, null, 100, AdmitUnknown: true),
        };
        var rows = c.Rows(Index);
        var expected = Enumerable.Range(0, Catalog.Count).Where(r => c.Matches(Catalog[r])).ToArray();
        Assert.Equal(expected, Enumerable.Range(0, Catalog.Count).Where(rows.Contains).ToArray());
    }

    public static TheoryData<string, string?> TypedClauses => new()
    {
        { "genre", "AnyOfClause" },
        { "genres-and-types", "AnyClause" },
        { "kind", null },                 // a facet the vector stores do not keep
        { "year-range", "RangeClause" },
        { "year-open", "RangeClause" },
        { "runtime", "RangeClause" },
        { "rating", "RangeClause" },
        { "budget", null },               // a number the vector stores do not keep
        { "unknown-admitted", null },     // "or unknown" has no typed form
        { "not-horror", null },
        { "not-these", "ExcludeIdsClause" },
        { "these", "IncludeIdsClause" },
        { "concept-horror", "AnyOfClause" },
        { "concept-1980s", "RangeClause" },  // an era: its years
        { "either-decade", "AnyClause" },
        { "either-budget-or-decade", null }, // one option a store cannot test: none of it goes as a clause
    };

    [Theory]
    [MemberData(nameof(TypedClauses))]
    public void A_constraints_typed_clause_admits_exactly_the_items_it_matches(string kind, string? clauseType)
    {
        var graph = ConceptGraph.LoadEmbedded();
        IConstraint c = kind switch
        {
            "genre" => new FacetConstraint(FacetField.Genre, "horror", "Comedy"),
            "genres-and-types" => new FacetConstraint([new FacetValue(FacetField.Genre, "Comedy"), new FacetValue(FacetField.CreativeType, "science fiction")]),
            "kind" => new FacetConstraint(FacetField.Kind, "film"),
            "year-range" => new RangeConstraint(NumericAttribute.Year, 1980, 1984),
            "year-open" => new RangeConstraint(NumericAttribute.Year, null, 1982),
            "runtime" => new RangeConstraint(NumericAttribute.Runtime, 100, null),
            "rating" => new RangeConstraint(NumericAttribute.ImdbRating, 8.0, 8.4),
            "budget" => new RangeConstraint(NumericAttribute.Budget, null, 16e6),
            "unknown-admitted" => new RangeConstraint(NumericAttribute.Runtime, null, 100, AdmitUnknown: true),
            "not-horror" => new NotConstraint(new FacetConstraint(FacetField.Genre, "Horror")),
            "not-these" => new NotConstraint(new RowConstraint(new HashSet<string> { "aliens", "gremlins" }, "two films")),
            "these" => new RowConstraint(new HashSet<string> { "aliens", "halloween" }, "two films"),
            "concept-horror" => new ConceptConstraint(graph.Find("genre/horror")!, graph.Expand("genre/horror"), ConceptConstraint.ExactAndNarrower),
            "either-decade" => new AnyConstraint([new RangeConstraint(NumericAttribute.Year, 1970, 1979), new RangeConstraint(NumericAttribute.Year, 1990, 1999)]),
            "either-budget-or-decade" => new AnyConstraint([new RangeConstraint(NumericAttribute.Budget, null, 16e6), new RangeConstraint(NumericAttribute.Year, 1990, 1999)]),
            _ => new ConceptConstraint(graph.Find("era/1980s")!, graph.Expand("era/1980s"), ConceptConstraint.Any),
        };

        var clause = c.ToClause();

        Assert.Equal(clauseType, clause?.GetType().Name);
        if (clause is null) return;
        Assert.Equal(Catalog.Items.Select(c.Matches), Catalog.Items.Select(clause.Matches));
    }

    [Fact]
    public void Explanations_name_the_value_and_the_bound()
    {
        var thing = Catalog[1];
        Assert.Equal("rated 8.2 ≥ 7.5", new RangeConstraint(NumericAttribute.ImdbRating, 7.5, null).Explain(thing));
        Assert.Equal("budget $15 million ≤ $16 million", new RangeConstraint(NumericAttribute.Budget, null, 16e6).Explain(thing));
        Assert.Equal("released 1982 in 1980–1989", new RangeConstraint(NumericAttribute.Year, 1980, 1989).Explain(thing));
    }
}
