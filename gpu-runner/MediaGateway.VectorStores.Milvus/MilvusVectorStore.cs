using System.Diagnostics;
using System.Text.Json.Nodes;
using MediaGateway.Engine.VectorStores;

namespace MediaGateway.VectorStores.Milvus;

/// <summary>
/// One catalog's vectors in a Milvus collection (the catalog is the partition key, so its searches touch only
/// its partitions). Opened by <see cref="MilvusConnector"/>, which has checked the collection's schema.
/// </summary>
public sealed class MilvusVectorStore : IVectorStore
{
    private readonly MilvusRestClient _client;
    private readonly MilvusOptions _options;
    private readonly string _catalog;

    internal MilvusVectorStore(MilvusRestClient client, MilvusOptions options, string catalog, int dimension)
    {
        (_client, _options, _catalog, Dimension) = (client, options, catalog, dimension);
    }

    public string Kind => "milvus";
    public string IndexKind => $"milvus {_options.IndexType}";
    public int Dimension { get; }

    public async Task UpsertAsync(IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken = default)
    {
        var rows = records.Select(ToRow).ToArray(); // validates all before writing any
        foreach (var batch in rows.Chunk(Math.Max(1, _options.UpsertBatchSize)))
        {
            await _client.PostAsync("entities/upsert", new JsonObject
            {
                ["collectionName"] = _options.Collection,
                ["data"] = new JsonArray(batch.Select(r => (JsonNode)r).ToArray()),
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task DeleteAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        foreach (var batch in ids.Distinct(StringComparer.Ordinal).Chunk(Math.Max(1, _options.DeleteBatchSize)))
        {
            await _client.PostAsync("entities/delete", new JsonObject
            {
                ["collectionName"] = _options.Collection,
                ["filter"] = MilvusFilter.ForIds(_catalog, batch),
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<VectorMatch[][]> SearchAsync(ReadOnlyMemory<float> queries, int queryCount, int k,
        IReadOnlyList<VectorFilter?>? filters = null, CancellationToken cancellationToken = default)
    {
        VectorStoreArguments.CheckSearch(queries.Length, queryCount, k, Dimension, filters);
        var results = new VectorMatch[queryCount][];
        if (k == 0)
        {
            Array.Fill(results, []);
            return results;
        }
        // Milvus takes one filter per request: queries sharing a filter (in a batch, usually all) go together.
        var groups = Enumerable.Range(0, queryCount).GroupBy(q => MilvusFilter.For(_catalog, filters?[q]), StringComparer.Ordinal);
        await Task.WhenAll(groups.Select(async group =>
        {
            var members = group.ToArray();
            var answers = await SearchGroupAsync(queries, members, group.Key, k, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < members.Length; i++) results[members[i]] = answers[i];
        })).ConfigureAwait(false);
        return results;
    }

    public async Task<long> CountAsync(VectorFilter? filter = null, CancellationToken cancellationToken = default)
    {
        var envelope = await _client.PostAsync("entities/query", new JsonObject
        {
            ["collectionName"] = _options.Collection,
            ["filter"] = MilvusFilter.For(_catalog, filter),
            ["outputFields"] = new JsonArray("count(*)"),
            ["consistencyLevel"] = _options.ConsistencyLevel,
        }, cancellationToken).ConfigureAwait(false);
        return (envelope["data"] as JsonArray)?.FirstOrDefault()?["count(*)"]?.GetValue<long>()
            ?? throw new MilvusException("entities/query", -1, "the count(*) answer is missing");
    }

    public async Task<DependencyCheck> CheckAsync(CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var envelope = await _client.PostAsync("collections/get_load_state", new JsonObject { ["collectionName"] = _options.Collection }, cancellationToken).ConfigureAwait(false);
            var state = envelope["data"]?["loadState"]?.GetValue<string>() ?? "unknown";
            var loaded = state == "LoadStateLoaded";
            return new DependencyCheck("milvus", loaded, Math.Round(clock.Elapsed.TotalMilliseconds, 1),
                loaded ? $"collection {_options.Collection} loaded at {_options.Endpoint}" : $"collection {_options.Collection} is {state}: searches fail until it is loaded");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new DependencyCheck("milvus", false, Math.Round(clock.Elapsed.TotalMilliseconds, 1), $"Milvus at {_options.Endpoint} does not answer: {e.Message}");
        }
    }

    private async Task<VectorMatch[][]> SearchGroupAsync(ReadOnlyMemory<float> queries, int[] members, string filter, int k, CancellationToken cancellationToken)
    {
        var data = new JsonArray();
        foreach (var q in members) data.Add(Vector(queries.Span.Slice(q * Dimension, Dimension)));
        var searchParams = new JsonObject();
        foreach (var (key, value) in MilvusIndexDefaults.SearchParams(_options, k)) searchParams[key] = MilvusSchema.Number(value);
        var envelope = await _client.PostAsync("entities/search", new JsonObject
        {
            ["collectionName"] = _options.Collection,
            ["data"] = data,
            ["annsField"] = MilvusSchema.Vector,
            ["filter"] = filter,
            ["limit"] = k,
            ["outputFields"] = new JsonArray(MilvusSchema.ItemId),
            ["searchParams"] = new JsonObject { ["metricType"] = "IP", ["params"] = searchParams },
            ["consistencyLevel"] = _options.ConsistencyLevel,
        }, cancellationToken).ConfigureAwait(false);

        // The answer is one flat list with "topks" saying how many rows belong to each query, in order.
        var hits = (envelope["data"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(h => new VectorMatch(h[MilvusSchema.ItemId]?.GetValue<string>() ?? throw new MilvusException("entities/search", -1, "a hit lacks its item id"),
                h["distance"]?.GetValue<float>() ?? 0f))
            .ToArray();
        var topks = (envelope["topks"] as JsonArray)?.Select(t => t!.GetValue<int>()).ToArray();
        if (topks is null && members.Length > 1)
        {
            // A server that does not say where each query's hits end: ask again one query per request.
            var one = await Task.WhenAll(members.Select(q => SearchGroupAsync(queries, [q], filter, k, cancellationToken))).ConfigureAwait(false);
            return one.Select(a => a[0]).ToArray();
        }
        topks ??= [hits.Length];
        if (topks.Length != members.Length || topks.Sum() != hits.Length)
            throw new MilvusException("entities/search", -1, $"'topks' [{string.Join(", ", topks)}] does not fit {members.Length} queries and {hits.Length} hits");
        var answers = new VectorMatch[members.Length][];
        for (int i = 0, start = 0; i < members.Length; start += topks[i], i++) answers[i] = hits[start..(start + topks[i])];
        return answers;
    }

    private JsonObject ToRow(VectorRecord record)
    {
        var item = record.Item;
        if (record.Vector.Length != Dimension)
            throw new ArgumentException($"Record '{record.Id}' has {record.Vector.Length} dimensions; the collection holds {Dimension}.");
        if (item.Id.Length is 0 or > MilvusSchema.MaxIdLength)
            throw new ArgumentException($"Item ids must have 1 to {MilvusSchema.MaxIdLength} characters ('{item.Id[..Math.Min(40, item.Id.Length)]}…').");
        if (item.Genres.Count > MilvusSchema.MaxGenres || item.Genres.Any(g => g.Length > MilvusSchema.MaxGenreLength))
            throw new ArgumentException($"Item '{item.Id}' has more than {MilvusSchema.MaxGenres} genres or a genre over {MilvusSchema.MaxGenreLength} characters.");
        return new JsonObject
        {
            [MilvusSchema.PrimaryKey] = MilvusFilter.PrimaryKeyOf(_catalog, item.Id),
            [MilvusSchema.ItemId] = item.Id,
            [MilvusSchema.Catalog] = _catalog,
            [MilvusSchema.Vector] = Vector(record.Vector.Span),
            [MilvusSchema.FieldOf(FilterField.Genre)] = new JsonArray(item.Genres.Select(g => (JsonNode)MilvusFilter.Fold(g)).ToArray()),
            [MilvusSchema.FieldOf(FilterField.CreativeType)] = Text(item.CreativeType, item.Id),
            [MilvusSchema.FieldOf(FilterField.MpaaRating)] = Text(item.MpaaRating, item.Id),
            [MilvusSchema.FieldOf(FilterField.Source)] = Text(item.Source, item.Id),
            [MilvusSchema.FieldOf(FilterField.Director)] = Text(item.Director, item.Id),
            [MilvusSchema.FieldOf(FilterField.Year)] = item.Year,
            [MilvusSchema.FieldOf(FilterField.RuntimeMinutes)] = item.RuntimeMinutes,
            [MilvusSchema.FieldOf(FilterField.ImdbRating)] = item.ImdbRating,
        };
    }

    private static JsonNode? Text(string? value, string id) => value switch
    {
        null => null,
        { Length: > MilvusSchema.MaxTextLength } => throw new ArgumentException($"Item '{id}' has a facet over {MilvusSchema.MaxTextLength} characters."),
        _ => MilvusFilter.Fold(value),
    };

    private static JsonArray Vector(ReadOnlySpan<float> values)
    {
        var array = new JsonArray();
        foreach (var v in values) array.Add(v);
        return array;
    }
}
