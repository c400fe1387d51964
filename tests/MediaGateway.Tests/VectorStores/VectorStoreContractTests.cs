using MediaGateway.Engine.VectorStores;

namespace MediaGateway.Tests.VectorStores;

/// <summary>
/// The vector-store seam's contract: the same assertions run against the embedded store, the Milvus adapter
/// over the in-process Milvus double, and a real Milvus when MILVUS_URI is set. The truth is brute force
/// over the records with the typed filter's own semantics (<see cref="VectorFilter.Matches"/>).
/// </summary>
public sealed class VectorStoreContractTests
{
    public static TheoryData<string> Stores => StoreUnderTest.Kinds();

    private static readonly VectorRecord[] Records = ContractData.Records(60);

    private static async Task<string[][]> SearchIdsAsync(IVectorStore store, float[] queries, int k, IReadOnlyList<VectorFilter?>? filters = null) =>
        (await store.SearchAsync(queries, queries.Length / ContractData.Dim, k, filters)).Select(m => m.Select(x => x.Id).ToArray()).ToArray();

    [Theory, MemberData(nameof(Stores))]
    public async Task A_batch_of_queries_gets_each_its_nearest_records_best_first_with_their_scores(string kind)
    {
        await using var under = StoreUnderTest.Create(kind);
        var store = await under.OpenAsync();
        await store.UpsertAsync(Records);
        var queries = ContractData.Queries(5);

        var results = await store.SearchAsync(queries, 5, 10);

        Assert.Equal(5, results.Length);
        for (var q = 0; q < 5; q++)
        {
            var query = queries.AsSpan(q * ContractData.Dim, ContractData.Dim);
            Assert.Equal(ContractData.Truth(Records, query, 10, null), results[q].Select(m => m.Id));
            foreach (var m in results[q])
                Assert.Equal(ContractData.Dot(query.ToArray(), Records.Single(r => r.Id == m.Id).Vector.Span), m.Score, 4);
        }
    }

    public static TheoryData<string, string> StoresAndFilters()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in StoreUnderTest.All) foreach (var name in Filters.Keys) data.Add(kind, name);
        return data;
    }

    private static readonly Dictionary<string, VectorFilter> Filters = new()
    {
        ["genre any of, any case"] = new([new AnyOfClause(FilterField.Genre, ["HORROR", "Comedy"])]),
        ["creative type"] = new([new AnyOfClause(FilterField.CreativeType, ["science fiction"])]),
        ["mpaa rating"] = new([new AnyOfClause(FilterField.MpaaRating, ["PG-13", "Not Rated"])]),
        ["director"] = new([new AnyOfClause(FilterField.Director, ["Sofia Coppola"])]),
        ["source"] = new([new AnyOfClause(FilterField.Source, ["Based on Book/Short Story"])]),
        ["year range, unknown years excluded"] = new([new RangeClause(FilterField.Year, 1980, 1989)]),
        ["runtime at most"] = new([new RangeClause(FilterField.RuntimeMinutes, null, 100)]),
        ["rating at least, a fraction"] = new([new RangeClause(FilterField.ImdbRating, 6.5, null)]),
        ["known year"] = new([new RangeClause(FilterField.Year, null, null)]),
        ["excluded ids"] = new([new ExcludeIdsClause(["item-000", "item-001", "item-017"])]),
        ["included ids, unknown ones ignored"] = new([new IncludeIdsClause(["item-002", "item-005", "item-031", "item-059", "never-there"])]),
        ["included ids, none"] = new([new IncludeIdsClause([])]),
        ["included ids with a facet"] = new([new IncludeIdsClause(Enumerable.Range(0, 40).Select(i => $"item-{i:000}").ToArray()),
            new RangeClause(FilterField.Year, 1980, null)]),
        ["all together"] = new([new AnyOfClause(FilterField.Genre, ["drama", "horror", "comedy"]), new RangeClause(FilterField.Year, 1975, 2010),
            new RangeClause(FilterField.RuntimeMinutes, 90, 150), new ExcludeIdsClause(["item-003"])]),
        ["nothing matches"] = new([new AnyOfClause(FilterField.Genre, ["Western"])]),
    };

    [Theory, MemberData(nameof(StoresAndFilters))]
    public async Task A_filter_allows_exactly_the_records_it_names_in_search_and_count(string kind, string filterName)
    {
        await using var under = StoreUnderTest.Create(kind);
        var store = await under.OpenAsync();
        await store.UpsertAsync(Records);
        var filter = Filters[filterName];
        var query = ContractData.Queries(1);
        var expected = ContractData.Truth(Records, query, Records.Length, filter);

        var found = await SearchIdsAsync(store, query, Records.Length, [filter]);

        Assert.Equal(expected, found[0]);
        Assert.Equal(expected.Length, await store.CountAsync(filter));
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Queries_in_one_batch_keep_their_own_filters(string kind)
    {
        await using var under = StoreUnderTest.Create(kind);
        var store = await under.OpenAsync();
        await store.UpsertAsync(Records);
        var queries = ContractData.Queries(4, seed: 5);
        VectorFilter?[] filters = [Filters["creative type"], null, Filters["year range, unknown years excluded"], Filters["creative type"]];

        var found = await SearchIdsAsync(store, queries, 5, filters);

        for (var q = 0; q < 4; q++)
            Assert.Equal(ContractData.Truth(Records, queries.AsSpan(q * ContractData.Dim, ContractData.Dim), 5, filters[q]), found[q]);
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Upsert_replaces_by_id_and_delete_removes_in_batches(string kind)
    {
        await using var under = StoreUnderTest.Create(kind);
        var store = await under.OpenAsync();
        await store.UpsertAsync(Records);
        Assert.Equal(Records.Length, await store.CountAsync());

        // Replace item-010 with a copy of a query vector and a new genre: it must now be found first, once.
        var query = ContractData.Queries(1, seed: 1234);
        var replaced = new VectorRecord(ContractData.Item("item-010", genres: ["Western"]), query);
        await store.UpsertAsync([replaced]);
        Assert.Equal(Records.Length, await store.CountAsync());
        var found = await SearchIdsAsync(store, query, 3);
        Assert.Equal("item-010", found[0][0]);
        Assert.Equal(1, await store.CountAsync(Filters["nothing matches"])); // the new genre
        Assert.Single(found[0], id => id == "item-010");

        var gone = Records.Take(25).Select(r => r.Id).Append("never-there").ToArray();
        await store.DeleteAsync(gone);
        Assert.Equal(Records.Length - 25, await store.CountAsync());
        var all = await SearchIdsAsync(store, query, Records.Length);
        Assert.Empty(all[0].Intersect(gone));
        Assert.Equal(Records.Length - 25, all[0].Length);
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Catalogs_do_not_see_each_other(string kind)
    {
        await using var under = StoreUnderTest.Create(kind);
        var films = await under.OpenAsync("films");
        var series = await under.OpenAsync("series");
        await films.UpsertAsync(Records);
        var episodes = ContractData.Records(12, seed: 3, prefix: "episode");
        await series.UpsertAsync(episodes);
        // The same id in both catalogs is two records.
        await series.UpsertAsync([new VectorRecord(ContractData.Item("item-000"), Records[0].Vector)]);

        Assert.Equal(Records.Length, await films.CountAsync());
        Assert.Equal(13, await series.CountAsync());
        var query = ContractData.Queries(1);
        Assert.All((await SearchIdsAsync(series, query, 100))[0], id => Assert.True(id.StartsWith("episode-") || id == "item-000"));
        await series.DeleteAsync(["item-000"]);
        Assert.Equal(Records.Length, await films.CountAsync());
        Assert.Contains("item-000", (await SearchIdsAsync(films, query, 100))[0]);
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Wrong_dimensions_and_filter_counts_are_refused_before_anything_is_sent(string kind)
    {
        await using var under = StoreUnderTest.Create(kind);
        var store = await under.OpenAsync();
        await store.UpsertAsync(Records.Take(3).ToArray());

        await Assert.ThrowsAsync<ArgumentException>(() => store.UpsertAsync([new VectorRecord(ContractData.Item("short"), new float[ContractData.Dim - 1])]));
        await Assert.ThrowsAsync<ArgumentException>(() => store.SearchAsync(new float[ContractData.Dim + 1], 1, 3));
        await Assert.ThrowsAsync<ArgumentException>(() => store.SearchAsync(ContractData.Queries(2), 2, 3, [null]));
        Assert.Equal(3, await store.CountAsync());
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Health_reports_the_store_answering_with_its_latency(string kind)
    {
        await using var under = StoreUnderTest.Create(kind);
        var store = await under.OpenAsync();

        var check = await store.CheckAsync();

        Assert.True(check.Healthy, check.Detail);
        Assert.InRange(check.LatencyMs, 0, 10_000);
    }
}
