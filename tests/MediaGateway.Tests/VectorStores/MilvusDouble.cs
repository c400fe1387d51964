using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace MediaGateway.Tests.VectorStores;

/// <summary>
/// An in-process Milvus for tests, at the HTTP level (it is the HttpClient's primary handler, so the client's
/// resilience pipeline runs as in production). It follows the RESTful API v2 as documented: POST
/// <c>/v2/vectordb/{collections|entities}/…</c>, JSON bodies, answers <c>{"code": 0, "data": …}</c> and errors
/// <c>{"code": n, "message": …}</c> with HTTP 200 (100 collection not found, 101 not loaded, 1100 invalid
/// parameter, 1800 not authenticated), multi-query search answers as one flat list plus <c>topks</c>, and
/// <c>count(*)</c> queries. Search is exact inner product, ties in insertion order.
/// </summary>
internal sealed class MilvusDouble : HttpMessageHandler
{
    private readonly ConcurrentDictionary<string, Collection> _collections = new(StringComparer.Ordinal);
    private int _failuresLeft;

    /// <summary>When set, requests must carry <c>Authorization: Bearer {Token}</c>.</summary>
    public string? Token { get; init; }

    /// <summary>Every request: operation ("entities/search"…) and body, in order.</summary>
    public ConcurrentQueue<(string Operation, JsonObject Body)> Requests { get; } = new();

    /// <summary>The next <paramref name="count"/> requests fail with HTTP 503 (a transient fault the client should retry).</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failuresLeft, count);

    /// <summary>Answer searches without <c>topks</c>, as servers before it was added did.</summary>
    public bool OmitTopks { get; set; }

    /// <summary>True while the server is "down": every request gets HTTP 503.</summary>
    public bool Down { get; set; }

    /// <summary>While set, every request hangs (until its caller gives up): a server that accepts and never answers.</summary>
    public bool Hangs { get; set; }

    public IEnumerable<JsonObject> Rows(string collection) => _collections[collection].Rows.Values;

    private sealed class Collection(JsonObject schema, int dimension, string metric, string consistency)
    {
        public JsonObject Schema { get; } = schema;
        public int Dimension { get; } = dimension;
        public string Metric { get; } = metric;
        public string Consistency { get; } = consistency;
        public bool Loaded { get; set; }
        public long NextSequence;
        /// <summary>Primary key → row; insertion order kept by <see cref="Sequence"/>.</summary>
        public Dictionary<string, JsonObject> Rows { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, long> Sequence { get; } = new(StringComparer.Ordinal);
        public object Gate { get; } = new();

        public IEnumerable<JsonObject> Fields => (Schema["fields"] as JsonArray ?? []).OfType<JsonObject>();
        public string PrimaryKey => Fields.First(f => f["isPrimary"]?.GetValue<bool>() == true)["fieldName"]!.GetValue<string>();
        public bool HasField(string name) => Fields.Any(f => f["fieldName"]!.GetValue<string>() == name);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Hangs) await Task.Delay(Timeout.Infinite, cancellationToken);
        if (Down || Interlocked.Decrement(ref _failuresLeft) >= 0)
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("upstream unavailable") };
        var path = request.RequestUri!.AbsolutePath;
        if (request.Method != HttpMethod.Post || !path.StartsWith("/v2/vectordb/", StringComparison.Ordinal))
            return new HttpResponseMessage(HttpStatusCode.NotFound);
        var operation = path["/v2/vectordb/".Length..];
        var body = request.Content is null ? [] : await request.Content.ReadFromJsonAsync<JsonObject>(cancellationToken) ?? [];
        Requests.Enqueue((operation, body));
        var auth = request.Headers.Authorization;
        if (Token is not null && (auth?.Scheme != "Bearer" || auth.Parameter != Token))
            return Reply(Error(1800, "user hasn't authenticated"));
        try
        {
            return Reply(operation switch
            {
                "collections/has" => Ok(new JsonObject { ["has"] = _collections.ContainsKey(Name(body)) }),
                "collections/create" => Create(body),
                "collections/describe" => Describe(Find(body)),
                "collections/load" => Load(Find(body)),
                "collections/get_load_state" => Ok(new JsonObject { ["loadState"] = Find(body).Loaded ? "LoadStateLoaded" : "LoadStateNotLoad" }),
                "collections/drop" => Drop(body),
                "entities/upsert" => Upsert(Find(body), body),
                "entities/delete" => Delete(Find(body), body),
                "entities/search" => Search(Find(body), body),
                "entities/query" => Query(Find(body), body),
                _ => throw new Failure(1100, $"unknown operation {operation}"),
            });
        }
        catch (Failure f)
        {
            return Reply(Error(f.Code, f.Message));
        }
        catch (FormatException e)
        {
            return Reply(Error(1100, $"failed to create query plan: {e.Message}: invalid parameter"));
        }
    }

    private sealed class Failure(int code, string message) : Exception(message)
    {
        public int Code { get; } = code;
    }

    private static string Name(JsonObject body) => body["collectionName"]?.GetValue<string>() is { Length: > 0 } name ? name : throw new Failure(1100, "collectionName is required: invalid parameter");

    private Collection Find(JsonObject body) =>
        _collections.TryGetValue(Name(body), out var c) ? c : throw new Failure(100, $"collection not found[database=default][collection={Name(body)}]");

    private JsonObject Create(JsonObject body)
    {
        var name = Name(body);
        var schema = body["schema"] as JsonObject ?? throw new Failure(1100, "schema is required");
        var fields = (schema["fields"] as JsonArray ?? []).OfType<JsonObject>().ToArray();
        if (fields.Count(f => f["isPrimary"]?.GetValue<bool>() == true) != 1) throw new Failure(1100, "there must be exactly one primary key field");
        var vector = fields.FirstOrDefault(f => f["dataType"]?.GetValue<string>() == "FloatVector") ?? throw new Failure(1100, "schema has no vector field");
        var dim = int.Parse(vector["elementTypeParams"]?["dim"]?.ToString() ?? throw new Failure(1100, "the vector field needs elementTypeParams.dim"));
        if (fields.Any(f => f["isPartitionKey"]?.GetValue<bool>() == true) && body["params"]?["partitionsNum"] is null)
            throw new Failure(1100, "partitionsNum is required with a partition key");
        var index = (body["indexParams"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault() ?? throw new Failure(1100, "indexParams are required");
        var consistency = body["params"]?["consistencyLevel"]?.GetValue<string>() ?? "Bounded";
        if (!_collections.TryAdd(name, new Collection((JsonObject)schema.DeepClone(), dim, index["metricType"]?.GetValue<string>() ?? "COSINE", consistency)))
            throw new Failure(65535, $"collection already exists: {name}");
        return Ok(new JsonObject());
    }

    /// <summary>Creates a collection the way an operator might have, for schema-check tests.</summary>
    public void Seed(string name, int dimension, string vectorField = "vector")
    {
        var schema = new JsonObject
        {
            ["fields"] = new JsonArray(
                new JsonObject { ["fieldName"] = "id", ["dataType"] = "Int64", ["isPrimary"] = true },
                new JsonObject { ["fieldName"] = vectorField, ["dataType"] = "FloatVector", ["elementTypeParams"] = new JsonObject { ["dim"] = dimension } }),
        };
        _collections[name] = new Collection(schema, dimension, "IP", "Bounded");
    }

    private static JsonObject Describe(Collection c)
    {
        var fields = new JsonArray();
        foreach (var f in c.Fields)
        {
            var parameters = new JsonArray();
            foreach (var (key, value) in f["elementTypeParams"] as JsonObject ?? [])
                parameters.Add(new JsonObject { ["key"] = key, ["value"] = value!.ToString() });
            var field = new JsonObject
            {
                ["name"] = f["fieldName"]!.GetValue<string>(),
                ["type"] = f["dataType"]!.GetValue<string>(),
                ["primaryKey"] = f["isPrimary"]?.GetValue<bool>() ?? false,
                ["partitionKey"] = f["isPartitionKey"]?.GetValue<bool>() ?? false,
                ["nullable"] = f["nullable"]?.GetValue<bool>() ?? false,
                ["params"] = parameters,
            };
            if (f["elementDataType"] is { } element) field["elementType"] = element.GetValue<string>();
            fields.Add(field);
        }
        return Ok(new JsonObject
        {
            ["fields"] = fields,
            ["load"] = c.Loaded ? "LoadStateLoaded" : "LoadStateNotLoad",
            ["consistencyLevel"] = c.Consistency,
            ["indexes"] = new JsonArray(new JsonObject { ["fieldName"] = "vector", ["metricType"] = c.Metric }),
        });
    }

    private static JsonObject Load(Collection c)
    {
        c.Loaded = true;
        return Ok(new JsonObject());
    }

    private JsonObject Drop(JsonObject body)
    {
        _collections.TryRemove(Name(body), out _);
        return Ok(new JsonObject());
    }

    private static JsonObject Upsert(Collection c, JsonObject body)
    {
        var rows = (body["data"] as JsonArray ?? throw new Failure(1100, "data is required")).OfType<JsonObject>().ToArray();
        var keys = new JsonArray();
        lock (c.Gate)
        {
            var checkedRows = rows.Select(r => Check(c, r)).ToArray(); // all or nothing, as one insert message
            foreach (var row in checkedRows)
            {
                var pk = row[c.PrimaryKey]!.GetValue<string>();
                if (!c.Sequence.ContainsKey(pk)) c.Sequence[pk] = c.NextSequence++;
                c.Rows[pk] = row;
                keys.Add(pk);
            }
        }
        return Ok(new JsonObject { ["upsertCount"] = rows.Length, ["upsertIds"] = keys });
    }

    /// <summary>A row must give every field of the schema (null only where nullable), with the declared types and sizes.</summary>
    private static JsonObject Check(Collection c, JsonObject row)
    {
        foreach (var (key, _) in row)
            if (!c.HasField(key)) throw new Failure(1100, $"field {key} does not exist in the schema and the dynamic field is disabled");
        var clean = new JsonObject();
        foreach (var f in c.Fields)
        {
            var name = f["fieldName"]!.GetValue<string>();
            var type = f["dataType"]!.GetValue<string>();
            var value = row[name];
            if (value is null)
            {
                if (f["nullable"]?.GetValue<bool>() != true) throw new Failure(1100, $"field {name} is required and not nullable");
                clean[name] = null;
                continue;
            }
            var maxLength = f["elementTypeParams"]?["max_length"]?.GetValue<int>();
            var maxCapacity = f["elementTypeParams"]?["max_capacity"]?.GetValue<int>() ?? int.MaxValue;
            switch (type)
            {
                case "VarChar" when value.GetValueKind() != System.Text.Json.JsonValueKind.String:
                case "Int32" or "Int64" or "Double" or "Float" when value.GetValueKind() != System.Text.Json.JsonValueKind.Number:
                    throw new Failure(1100, $"field {name} expects {type}");
                case "VarChar" when value.GetValue<string>().Length > maxLength:
                    throw new Failure(1100, $"the length ({value.GetValue<string>().Length}) of varchar field {name} exceeds max length ({maxLength})");
                case "FloatVector" when value is not JsonArray v || v.Count != c.Dimension:
                    throw new Failure(1100, $"the dim ({DimOf(value)}) of field data({name}) is not equal to schema dim ({c.Dimension})");
                case "Array" when value is not JsonArray a || a.Count > maxCapacity:
                    throw new Failure(1100, $"field {name} expects an array within max_capacity");
            }
            clean[name] = value.DeepClone();
        }
        return clean;
    }

    private static int? DimOf(JsonNode value) => (value as JsonArray)?.Count;

    private static JsonObject Delete(Collection c, JsonObject body)
    {
        var filter = body["filter"]?.GetValue<string>() is { Length: > 0 } f ? MilvusExpression.Parse(f, c.HasField) : throw new Failure(1100, "filter is required");
        lock (c.Gate)
        {
            foreach (var (pk, _) in c.Rows.Where(r => filter(r.Value)).ToArray())
            {
                c.Rows.Remove(pk);
                c.Sequence.Remove(pk);
            }
        }
        return Ok(new JsonObject());
    }

    private JsonObject Search(Collection c, JsonObject body)
    {
        if (!c.Loaded) throw new Failure(101, "collection not loaded");
        CheckConsistency(body);
        var vectors = (body["data"] as JsonArray ?? throw new Failure(1100, "data is required")).Select(v => (v as JsonArray ?? throw new Failure(1100, "data holds vectors")).Select(x => x!.GetValue<float>()).ToArray()).ToArray();
        if (vectors.Any(v => v.Length != c.Dimension)) throw new Failure(1100, $"vector dimension mismatch, expected vector dimension {c.Dimension}");
        if (body["annsField"]?.GetValue<string>() is { } anns && !c.Fields.Any(f => f["fieldName"]!.GetValue<string>() == anns && f["dataType"]!.GetValue<string>() == "FloatVector"))
            throw new Failure(1100, $"annsField {anns} is not a vector field");
        if (body["searchParams"]?["metricType"]?.GetValue<string>() is { } metric && metric != c.Metric)
            throw new Failure(1100, $"metric type not match: invalid parameter[expected={c.Metric}][actual={metric}]");
        var limit = body["limit"]?.GetValue<int>() ?? 100;
        if (limit is < 1 or > 16384) throw new Failure(1100, "limit should be in range [1, 16384]");
        var filter = body["filter"]?.GetValue<string>() is { Length: > 0 } f ? MilvusExpression.Parse(f, c.HasField) : (_ => true);
        var outputFields = (body["outputFields"] as JsonArray ?? []).Select(x => x!.GetValue<string>()).ToArray();
        foreach (var o in outputFields) if (!c.HasField(o)) throw new Failure(1100, $"field {o} not exist");
        var vectorField = c.Fields.First(x => x["dataType"]!.GetValue<string>() == "FloatVector")["fieldName"]!.GetValue<string>();

        var data = new JsonArray();
        var topks = new JsonArray();
        lock (c.Gate)
        {
            var candidates = c.Rows.Values.Where(filter).ToArray();
            foreach (var query in vectors)
            {
                var hits = candidates
                    .Select(row => (Row: row, Score: Dot(query, row[vectorField]!.AsArray()), Sequence: c.Sequence[row[c.PrimaryKey]!.GetValue<string>()]))
                    .OrderByDescending(h => h.Score).ThenBy(h => h.Sequence).Take(limit).ToArray();
                foreach (var (row, score, _) in hits)
                {
                    var hit = new JsonObject { [c.PrimaryKey] = row[c.PrimaryKey]!.DeepClone(), ["distance"] = score };
                    foreach (var o in outputFields) hit[o] = row[o]?.DeepClone();
                    data.Add(hit);
                }
                topks.Add(hits.Length);
            }
        }
        var reply = Ok(data);
        if (!OmitTopks) reply["topks"] = topks;
        return reply;
    }

    private static JsonObject Query(Collection c, JsonObject body)
    {
        if (!c.Loaded) throw new Failure(101, "collection not loaded");
        CheckConsistency(body);
        var filter = body["filter"]?.GetValue<string>() is { Length: > 0 } f ? MilvusExpression.Parse(f, c.HasField) : throw new Failure(1100, "filter is required without limit");
        var outputFields = (body["outputFields"] as JsonArray ?? []).Select(x => x!.GetValue<string>()).ToArray();
        lock (c.Gate)
        {
            var rows = c.Rows.Values.Where(filter).ToArray();
            if (outputFields is ["count(*)"]) return Ok(new JsonArray(new JsonObject { ["count(*)"] = rows.Length }));
            return Ok(new JsonArray(rows.Select(r => (JsonNode)new JsonObject(outputFields.Select(o => KeyValuePair.Create(o, r[o]?.DeepClone())))).ToArray()));
        }
    }

    private static void CheckConsistency(JsonObject body)
    {
        if (body["consistencyLevel"]?.GetValue<string>() is { } level && level is not ("Strong" or "Bounded" or "Session" or "Eventually" or "Customized"))
            throw new Failure(1100, $"invalid consistency level {level}");
    }

    private static float Dot(float[] query, JsonArray vector)
    {
        var sum = 0d;
        for (var i = 0; i < query.Length; i++) sum += (double)query[i] * vector[i]!.GetValue<float>();
        return (float)sum;
    }

    private static JsonObject Ok(JsonNode data) => new() { ["code"] = 0, ["data"] = data };

    private static JsonObject Error(int code, string message) => new() { ["code"] = code, ["message"] = message };

    private static HttpResponseMessage Reply(JsonObject envelope) => new(HttpStatusCode.OK) { Content = JsonContent.Create(envelope) };
}
