using System.Text.Json.Nodes;
using MediaGateway.Engine.VectorStores;
using MediaGateway.VectorStores.Milvus;
using Microsoft.Extensions.Configuration;

namespace MediaGateway.Tests.VectorStores;

/// <summary>What is Milvus's own: the protocol the adapter speaks, start-up checks, errors, retries, configuration.</summary>
public sealed class MilvusStoreTests
{
    private static JsonObject Last(MilvusDouble server, string operation) => server.Requests.Last(r => r.Operation == operation).Body;

    [Fact]
    public async Task Start_up_creates_the_collection_with_catalog_partitions_the_index_from_configuration_and_loads_it()
    {
        var server = new MilvusDouble();
        await using var host = MilvusTestHost.ForDouble(server, new Dictionary<string, string?>
        {
            ["MediaGateway:Milvus:IndexType"] = "GPU_CAGRA",
            ["MediaGateway:Milvus:IndexParams:graph_degree"] = "48",
            ["MediaGateway:Milvus:PartitionCount"] = "32",
        });

        await host.OpenAsync("movies", 384);

        var create = Last(server, "collections/create");
        var fields = create["schema"]!["fields"]!.AsArray().Select(f => f!.AsObject()).ToArray();
        Assert.True(fields.Single(f => f["fieldName"]!.GetValue<string>() == "pk")["isPrimary"]!.GetValue<bool>());
        Assert.True(fields.Single(f => f["fieldName"]!.GetValue<string>() == "catalog")["isPartitionKey"]!.GetValue<bool>());
        Assert.Equal(384, fields.Single(f => f["fieldName"]!.GetValue<string>() == "vector")["elementTypeParams"]!["dim"]!.GetValue<int>());
        Assert.True(fields.Single(f => f["fieldName"]!.GetValue<string>() == "year")["nullable"]!.GetValue<bool>());
        var index = create["indexParams"]![0]!;
        Assert.Equal("IP", index["metricType"]!.GetValue<string>());
        Assert.Equal("GPU_CAGRA", index["params"]!["index_type"]!.GetValue<string>());
        Assert.Equal(48, index["params"]!["graph_degree"]!.GetValue<int>());
        Assert.Equal(32, create["params"]!["partitionsNum"]!.GetValue<int>());
        Assert.Contains(server.Requests, r => r.Operation == "collections/load");
    }

    [Fact]
    public async Task Search_sends_output_fields_consistency_level_and_an_ef_no_smaller_than_k()
    {
        var server = new MilvusDouble();
        await using var host = MilvusTestHost.ForDouble(server, new Dictionary<string, string?> { ["MediaGateway:Milvus:SearchParams:ef"] = "64" });
        var store = await host.OpenAsync("movies", ContractData.Dim);
        await store.UpsertAsync(ContractData.Records(10));

        await store.SearchAsync(ContractData.Queries(2), 2, 100);

        var search = Last(server, "entities/search");
        Assert.Equal("Strong", search["consistencyLevel"]!.GetValue<string>());
        Assert.Equal(["item_id"], search["outputFields"]!.AsArray().Select(x => x!.GetValue<string>()));
        Assert.Equal("vector", search["annsField"]!.GetValue<string>());
        Assert.Equal(100, search["searchParams"]!["params"]!["ef"]!.GetValue<int>());
        Assert.Equal(2, search["data"]!.AsArray().Count); // one request for the batch
        Assert.Equal("catalog == \"movies\"", search["filter"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_server_that_omits_topks_is_asked_one_query_at_a_time_with_the_same_answers()
    {
        var server = new MilvusDouble();
        await using var host = MilvusTestHost.ForDouble(server);
        var store = await host.OpenAsync("movies", ContractData.Dim);
        var records = ContractData.Records(20);
        await store.UpsertAsync(records);
        var queries = ContractData.Queries(3);
        var batched = await store.SearchAsync(queries, 3, 5);

        server.OmitTopks = true;
        var single = await store.SearchAsync(queries, 3, 5);

        Assert.Equal(batched.Select(r => r.Select(m => m.Id)), single.Select(r => r.Select(m => m.Id)));
        Assert.Equal(3, server.Requests.Count(r => r.Operation == "entities/search" && r.Body["data"]!.AsArray().Count == 1));
    }

    [Fact]
    public async Task Writes_are_batched_by_the_configured_sizes()
    {
        var server = new MilvusDouble();
        await using var host = MilvusTestHost.ForDouble(server);
        var store = await host.OpenAsync("movies", ContractData.Dim);

        await store.UpsertAsync(ContractData.Records(30));
        await store.DeleteAsync(ContractData.Records(30).Take(12).Select(r => r.Id).ToArray());

        Assert.Equal(5, server.Requests.Count(r => r.Operation == "entities/upsert")); // 30 in sevens
        Assert.Equal(3, server.Requests.Count(r => r.Operation == "entities/delete")); // 12 in fives
        Assert.Equal(18, await store.CountAsync());
    }

    [Fact]
    public void The_filter_builder_writes_each_clause_with_schema_fields_and_escaped_literals()
    {
        var filter = new VectorFilter([
            new AnyOfClause(FilterField.Genre, ["Horror", "Sci\"Fi"]),
            new AnyOfClause(FilterField.MpaaRating, ["PG-13"]),
            new RangeClause(FilterField.Year, 1980, 1989),
            new RangeClause(FilterField.ImdbRating, 7.5, null),
            new ExcludeIdsClause(["a\\b"]),
        ]);

        Assert.Equal(
            "catalog == \"movies\" and (ARRAY_CONTAINS_ANY(genres, [\"horror\", \"sci\\\"fi\"])) and (mpaa_rating in [\"pg-13\"])"
            + " and (year >= 1980 and year <= 1989) and (imdb_rating >= 7.5) and (item_id not in [\"a\\\\b\"])",
            MilvusFilter.For("movies", filter));
    }

    [Fact]
    public void The_planners_admitted_rows_become_an_escaped_id_list_and_none_admits_nothing()
    {
        Assert.Equal("catalog == \"movies\" and (item_id in [\"tt1\", \"a\\\"b\\\\\"])",
            MilvusFilter.For("movies", new VectorFilter([new IncludeIdsClause(["tt1", "a\"b\\"])])));
        Assert.Equal("catalog == \"movies\" and (false)", MilvusFilter.For("movies", new VectorFilter([new IncludeIdsClause([])])));
    }

    [Fact]
    public async Task A_collection_with_another_dimension_stops_start_up_with_what_to_do()
    {
        var server = new MilvusDouble();
        await using var host = MilvusTestHost.ForDouble(server);
        server.Seed(host.Collection, 768);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.OpenAsync("movies", 384));

        Assert.Contains("dimension 768", error.Message);
        Assert.Contains("produces 384", error.Message);
        Assert.Contains("field 'catalog' is missing", error.Message);
        Assert.Contains("MediaGateway:Milvus:Collection", error.Message);
    }

    [Fact]
    public async Task An_unreachable_server_stops_start_up_saying_where_it_looked()
    {
        var server = new MilvusDouble { Down = true };
        await using var host = MilvusTestHost.ForDouble(server);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.OpenAsync("movies", 384));

        Assert.Contains("http://milvus.test:19530 does not answer", error.Message);
    }

    [Fact]
    public void The_vector_store_and_milvus_settings_bind_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MediaGateway:Engine:VectorStore"] = "Milvus",
            ["MediaGateway:Engine:CatalogName"] = "films",
            ["MediaGateway:Milvus:IndexType"] = "GPU_CAGRA",
            ["MediaGateway:Milvus:SearchParams:itopk_size"] = "256",
            ["MediaGateway:Milvus:ConsistencyLevel"] = "Session",
        }).Build();

        var engine = ConfigurationBinder.Get<MediaGateway.Engine.Pipeline.EngineOptions>(configuration.GetSection("MediaGateway:Engine"))!;
        var milvus = ConfigurationBinder.Get<MilvusOptions>(configuration.GetSection(MilvusOptions.Section))!;

        Assert.Equal(VectorStoreKind.Milvus, engine.VectorStore);
        Assert.Equal("films", engine.CatalogName);
        Assert.Equal("Session", milvus.ConsistencyLevel);
        Assert.Equal("512", MilvusIndexDefaults.SearchParams(milvus, 512)["itopk_size"]);
        Assert.Equal("256", MilvusIndexDefaults.SearchParams(milvus, 100)["itopk_size"]);
        Assert.Equal("32", MilvusIndexDefaults.BuildParams(milvus)["graph_degree"]);
    }

    [Fact]
    public async Task A_missing_collection_is_an_error_when_creation_is_off()
    {
        var server = new MilvusDouble();
        await using var host = MilvusTestHost.ForDouble(server, new Dictionary<string, string?> { ["MediaGateway:Milvus:CreateCollection"] = "false" });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.OpenAsync("movies", 384));

        Assert.Contains("CreateCollection is false", error.Message);
    }

    [Fact]
    public async Task The_error_envelope_becomes_a_milvus_exception_with_code_and_message()
    {
        var server = new MilvusDouble();
        await using var host = MilvusTestHost.ForDouble(server);

        var error = await Assert.ThrowsAsync<MilvusException>(() => host.Client.PostAsync("collections/describe", new JsonObject { ["collectionName"] = "absent" }, CancellationToken.None));

        Assert.Equal(100, error.Code);
        Assert.Contains("collection not found", error.ServerMessage);
    }

    [Fact]
    public async Task The_token_is_sent_as_a_bearer_and_a_wrong_one_is_refused()
    {
        var server = new MilvusDouble { Token = "root:Milvus" };
        await using (var host = MilvusTestHost.ForDouble(server))
        {
            var store = await host.OpenAsync("movies", ContractData.Dim);
            Assert.Equal(0, await store.CountAsync());
        }
        await using var wrong = MilvusTestHost.ForDouble(new MilvusDouble { Token = "root:Milvus" }, new Dictionary<string, string?> { ["MediaGateway:Milvus:Token"] = "guess" });
        var error = await Assert.ThrowsAsync<MilvusException>(() => wrong.OpenAsync("movies", ContractData.Dim));
        Assert.Equal(1800, error.Code);
    }

    [Fact]
    public async Task Transient_failures_are_retried_by_the_resilience_handler()
    {
        var server = new MilvusDouble();
        await using var host = MilvusTestHost.ForDouble(server);
        var store = await host.OpenAsync("movies", ContractData.Dim);
        await store.UpsertAsync(ContractData.Records(5));
        var before = server.Requests.Count;

        server.FailNext(2);
        var results = await store.SearchAsync(ContractData.Queries(1), 1, 3);

        Assert.Equal(3, results[0].Length);
        Assert.Equal(before + 1, server.Requests.Count); // failed attempts are refused before being logged as requests
    }

    [Fact]
    public async Task Health_says_what_is_wrong_when_milvus_is_down_and_never_throws()
    {
        var server = new MilvusDouble();
        await using var host = MilvusTestHost.ForDouble(server);
        var store = await host.OpenAsync("movies", ContractData.Dim);

        server.Down = true;
        var check = await store.CheckAsync();

        Assert.False(check.Healthy);
        Assert.Equal("milvus", check.Name);
        Assert.Contains("does not answer", check.Detail);
    }

    [Theory]
    [InlineData("movies\" or catalog != \"")]
    [InlineData("../other")]
    [InlineData("")]
    public async Task A_catalog_name_outside_the_safe_alphabet_is_refused(string catalog)
    {
        await using var host = MilvusTestHost.ForDouble(new MilvusDouble());

        await Assert.ThrowsAsync<InvalidOperationException>(() => host.OpenAsync(catalog, ContractData.Dim));
    }
}
