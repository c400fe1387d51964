using MediaGateway.Engine.VectorStores;

namespace MediaGateway.Tests.VectorStores;

/// <summary>
/// Hostile strings in every string that reaches a Milvus filter (ids, every text facet, included and excluded ids, deletes):
/// each store must treat them as data. An item carries each hostile value; filtering for it finds exactly that
/// item, excluding or deleting it removes exactly it, and nothing else changes. A value that broke out of its
/// literal would either fail to parse in the double (as in Milvus) or select other items.
/// </summary>
public sealed class FilterInjectionTests
{
    public static TheoryData<string> Stores => StoreUnderTest.Kinds();

    public static readonly string[] Hostile =
    [
        "x\" || genres != \"",
        "\" or true or \"",
        "a\\",
        "\\\"",
        "back\\\\slash\\\" || true",
        "100%",
        "%horror%",
        "it's' or 'a' == 'a",
        "\"]) or ([\"",
        "catalog != \"\"",
        "\") or (catalog == \"films",
        "ARRAY_CONTAINS_ANY(genres, [\"horror\"])",
        "item_id not in [\"\"]",
        "line\nbreak\" || true || \"",
        "tab\there\u0001control",
        "Ünïcödé \" && false",
        "&& || ! == != ( ) [ ] ,",
    ];

    private static readonly FilterField[] TextFields = [FilterField.Genre, FilterField.CreativeType, FilterField.MpaaRating, FilterField.Director, FilterField.Source];

    /// <summary>Ordinary items, plus one item per hostile value whose id and every text facet is that value.</summary>
    private static VectorRecord[] Records()
    {
        var random = new Random(11);
        var plain = ContractData.Records(20, seed: 2);
        var hostile = Hostile.Select(v => new VectorRecord(ContractData.Item(v, genres: [v], creativeType: v, mpaa: v, director: v, source: v, year: 2000), ContractData.Vector(random)));
        return plain.Concat(hostile).ToArray();
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task A_hostile_value_in_any_text_filter_matches_only_the_item_that_carries_it(string kind)
    {
        await using var under = StoreUnderTest.Create(kind);
        var store = await under.OpenAsync();
        var records = Records();
        await store.UpsertAsync(records);
        var query = ContractData.Queries(1);

        foreach (var value in Hostile)
        {
            foreach (var field in TextFields)
            {
                var filter = new VectorFilter([new AnyOfClause(field, [value])]);
                var found = (await store.SearchAsync(query, 1, records.Length, [filter]))[0].Select(m => m.Id).ToArray();
                Assert.True(found.Length == 1 && found[0] == value, $"{field} = {value}: found [{string.Join(" | ", found)}]");
                Assert.Equal(1, await store.CountAsync(filter));
            }
        }
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Hostile_ids_are_excluded_and_deleted_exactly(string kind)
    {
        await using var under = StoreUnderTest.Create(kind);
        var store = await under.OpenAsync();
        var records = Records();
        await store.UpsertAsync(records);

        var excluded = new VectorFilter([new ExcludeIdsClause(Hostile)]);
        Assert.Equal(records.Length - Hostile.Length, await store.CountAsync(excluded));
        var found = (await store.SearchAsync(ContractData.Queries(1), 1, records.Length, [excluded]))[0].Select(m => m.Id).ToArray();
        Assert.Empty(found.Intersect(Hostile));

        await store.DeleteAsync(Hostile.Take(5).ToArray());
        Assert.Equal(records.Length - 5, await store.CountAsync());
        var left = (await store.SearchAsync(ContractData.Queries(1), 1, records.Length))[0].Select(m => m.Id).ToHashSet();
        Assert.Equal(records.Select(r => r.Id).Except(Hostile.Take(5)).ToHashSet(), left);
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Hostile_ids_in_an_include_list_admit_exactly_those_items(string kind)
    {
        await using var under = StoreUnderTest.Create(kind);
        var store = await under.OpenAsync();
        var records = Records();
        await store.UpsertAsync(records);
        var query = ContractData.Queries(1);

        // All at once (the planner's admitted rows arrive as one list), then each alone.
        var all = new VectorFilter([new IncludeIdsClause(Hostile)]);
        Assert.Equal(Hostile.Length, await store.CountAsync(all));
        var found = (await store.SearchAsync(query, 1, records.Length, [all]))[0].Select(m => m.Id).ToHashSet();
        Assert.Equal(Hostile.ToHashSet(), found);
        foreach (var value in Hostile)
        {
            var one = new VectorFilter([new IncludeIdsClause([value])]);
            var hits = (await store.SearchAsync(query, 1, records.Length, [one]))[0].Select(m => m.Id).ToArray();
            Assert.True(hits.Length == 1 && hits[0] == value, $"id in [{value}]: found [{string.Join(" | ", hits)}]");
        }
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Hostile_values_in_a_disjunction_across_fields_match_exactly_the_items_that_carry_one(string kind)
    {
        await using var under = StoreUnderTest.Create(kind);
        var store = await under.OpenAsync();
        var records = Records();
        await store.UpsertAsync(records);

        // A concept spanning facets ("genre X, or directed by Y, or released 1990-1999") reaches the store as one AnyClause.
        var pair = Hostile.Take(2).ToArray();
        var either = new VectorFilter([new AnyClause([new AnyOfClause(FilterField.Genre, [pair[0]]), new AnyOfClause(FilterField.Director, [pair[1]])])]);
        var found = (await store.SearchAsync(ContractData.Queries(1), 1, records.Length, [either]))[0].Select(m => m.Id).ToHashSet();
        Assert.Equal(pair.ToHashSet(), found);
        Assert.Equal(0, await store.CountAsync(new VectorFilter([new AnyClause([])])));
        var inYears = records.Count(r => r.Item.Year is >= 1990 and <= 1999 || r.Item.Genres.Contains(pair[0]));
        Assert.Equal(inYears, await store.CountAsync(new VectorFilter([new AnyClause([new RangeClause(FilterField.Year, 1990, 1999), new AnyOfClause(FilterField.Genre, [pair[0]])])])));
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task A_hostile_value_that_no_item_carries_matches_nothing(string kind)
    {
        await using var under = StoreUnderTest.Create(kind);
        var store = await under.OpenAsync();
        await store.UpsertAsync(ContractData.Records(20, seed: 2));

        foreach (var value in Hostile)
            foreach (var field in TextFields)
                Assert.Equal(0, await store.CountAsync(new VectorFilter([new AnyOfClause(field, [value])])));
        Assert.Equal(0, await store.CountAsync(new VectorFilter([new IncludeIdsClause(Hostile)])));
    }
}
