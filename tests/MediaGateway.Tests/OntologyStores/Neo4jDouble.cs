using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaGateway.OntologyStores.Neo4j;
using S = MediaGateway.OntologyStores.Neo4j.Neo4jStatements;

namespace MediaGateway.Tests.OntologyStores;

/// <summary>
/// An in-process Neo4j for tests, at the HTTP level (the HttpClient's primary handler, so the client's resilience
/// pipeline runs as in production). It follows the Query API as documented: <c>POST /db/{database}/query/v2</c>,
/// basic auth, a JSON body <c>{"statement", "parameters"}</c>, answered <c>202</c> with
/// <c>{"data": {"fields", "values"}, "bookmarks"}</c>, and errors as <c>{"errors": [{"code", "message"}]}</c>:
/// 401 <c>Neo.ClientError.Security.Unauthorized</c>, 404 <c>Neo.ClientError.Database.DatabaseNotFound</c>,
/// 400 <c>Neo.ClientError.Request.Invalid</c>, <c>Neo.ClientError.Statement.SyntaxError</c>,
/// <c>Neo.ClientError.Statement.ParameterMissing</c> and <c>Neo.ClientError.Statement.TypeError</c>.
/// <para>It is not a Cypher engine: it is a tiny interpreter for exactly the statements of
/// <see cref="Neo4jStatements"/>, keyed by their text, each evaluated over an in-memory property graph with the
/// request's parameters (the same semantics: MERGE by key, MATCH drops rows whose nodes are missing, OPTIONAL
/// MATCH gives nulls, variable-length walks bounded at 3). Any other statement is a syntax error, so a statement
/// built from data could never pass here.</para>
/// </summary>
internal sealed class Neo4jDouble : HttpMessageHandler
{
    private readonly object _gate = new();
    private readonly Dictionary<string, JsonObject> _concepts = new(StringComparer.Ordinal);
    private readonly HashSet<(string From, string To)> _broader = [];
    private readonly HashSet<(string From, string To)> _related = [];
    private readonly Dictionary<string, JsonObject> _versions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _items = new(StringComparer.Ordinal);
    private readonly HashSet<(string Item, string Concept)> _carries = [];
    private readonly Dictionary<string, JsonObject> _catalogSyncs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _constraints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<JsonObject, (string[] Fields, List<JsonNode?[]> Rows)>> _statements;
    private int _failuresLeft, _bookmark;

    public Neo4jDouble()
    {
        _statements = new(StringComparer.Ordinal)
        {
            [S.ConceptIdConstraint] = _ => Constraint("mg_concept_id"),
            [S.MediaItemKeyConstraint] = _ => Constraint("mg_media_item_key"),
            [S.ReadOntologyVersion] = p => One(["hash", "concepts"], _versions.GetValueOrDefault(Text(p, "name")) is { } v ? [v["hash"]?.DeepClone(), v["concepts"]?.DeepClone()] : [null, null]),
            [S.MergeConcepts] = MergeConcepts,
            [S.DeleteConceptEdges] = p => { var ids = Strings(p, "ids").ToHashSet(); _broader.RemoveWhere(e => ids.Contains(e.From)); _related.RemoveWhere(e => ids.Contains(e.From)); return None(); },
            [S.MergeBroader] = p => MergeEdges(p, _broader),
            [S.MergeRelated] = p => MergeEdges(p, _related),
            [S.DeleteStaleConcepts] = DeleteStale,
            [S.WriteOntologyVersion] = p => { _versions[Text(p, "name")] = new JsonObject { ["hash"] = Text(p, "hash"), ["concepts"] = Value(p, "concepts")?.DeepClone() }; return None(); },
            [S.ReadConcepts] = _ => Concepts(_concepts.Values.OrderBy(c => c["ord"]?.GetValue<double>() ?? double.MaxValue).Select(c => Text(c, "id"))),
            [S.FindConcepts] = p => Concepts(Strings(p, "ids").Where(_concepts.ContainsKey)),
            [S.ReadNeighbourhood] = p => Concepts(Strings(p, "ids").Where(_concepts.ContainsKey).SelectMany(Neighbourhood).Distinct()),
            [S.MergeItems] = MergeItems,
            [S.ReadCatalogSync] = p => One(["ontologyHash", "items"], _catalogSyncs.GetValueOrDefault(Text(p, "catalog")) is { } s ? [s["ontologyHash"]?.DeepClone(), s["items"]?.DeepClone()] : [null, null]),
            [S.WriteCatalogSync] = p => { _catalogSyncs[Text(p, "catalog")] = new JsonObject { ["ontologyHash"] = Text(p, "ontologyHash"), ["items"] = Value(p, "items")?.DeepClone() }; return None(); },
            [S.ReadItemConcepts] = ReadItemConcepts,
        };
    }

    public string User { get; init; } = "neo4j";
    public string Password { get; init; } = "double-" + Guid.NewGuid().ToString("N")[..8];
    public string Database { get; init; } = "neo4j";

    /// <summary>Every request that reached the interpreter: its statement and parameters, in order.</summary>
    public ConcurrentQueue<(string Statement, JsonObject Parameters)> Requests { get; } = new();

    /// <summary>Every Authorization header received (null when absent).</summary>
    public ConcurrentQueue<string?> Authorizations { get; } = new();

    /// <summary>True while the server is "down": every request gets HTTP 503.</summary>
    public bool Down { get; set; }

    /// <summary>The next <paramref name="count"/> requests fail with HTTP 503 (a transient fault the client should retry).</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failuresLeft, count);

    public int ConceptCount { get { lock (_gate) return _concepts.Count; } }
    public int ItemCount { get { lock (_gate) return _items.Count; } }
    public int Count(string statement) => Requests.Count(r => r.Statement == statement);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Down || Interlocked.Decrement(ref _failuresLeft) >= 0)
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("upstream unavailable") };
        var segments = request.RequestUri!.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is not ["db", var database, "query", "v2"])
            return Error(HttpStatusCode.NotFound, "Neo.ClientError.Request.Invalid", $"No such endpoint: {request.RequestUri.AbsolutePath}");
        if (request.Method != HttpMethod.Post)
            return Error(HttpStatusCode.MethodNotAllowed, "Neo.ClientError.Request.Invalid", "The Query API takes POST.");
        var auth = request.Headers.Authorization;
        Authorizations.Enqueue(auth?.ToString());
        if (auth?.Scheme != "Basic" || auth.Parameter != Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")))
            return Error(HttpStatusCode.Unauthorized, "Neo.ClientError.Security.Unauthorized", "The client is unauthorized due to authentication failure.");
        if (Uri.UnescapeDataString(database) != Database)
            return Error(HttpStatusCode.NotFound, "Neo.ClientError.Database.DatabaseNotFound", $"Database {Uri.UnescapeDataString(database)} not found.");
        if (request.Content?.Headers.ContentType?.MediaType != "application/json")
            return Error(HttpStatusCode.UnsupportedMediaType, "Neo.ClientError.Request.Invalid", "Content-Type must be application/json.");
        JsonObject? body;
        try
        {
            body = JsonNode.Parse(await request.Content.ReadAsStringAsync(cancellationToken)) as JsonObject;
        }
        catch (JsonException e)
        {
            return Error(HttpStatusCode.BadRequest, "Neo.ClientError.Request.InvalidFormat", e.Message);
        }
        if (body?["statement"] is not JsonValue sv || !sv.TryGetValue(out string? statement) || body["parameters"] is not (null or JsonObject))
            return Error(HttpStatusCode.BadRequest, "Neo.ClientError.Request.Invalid", "The body must be {\"statement\": string, \"parameters\": object}.");
        var parameters = (JsonObject)(body["parameters"]?.DeepClone() ?? new JsonObject());
        Requests.Enqueue((statement, parameters));
        if (!_statements.TryGetValue(statement, out var run))
            return Error(HttpStatusCode.BadRequest, "Neo.ClientError.Statement.SyntaxError", "Invalid input: the double understands only MediaGateway's statements (Neo4jStatements).");
        (string[] Fields, List<JsonNode?[]> Rows) result;
        try
        {
            lock (_gate) result = run(parameters);
        }
        catch (DoubleError e)
        {
            return Error(HttpStatusCode.BadRequest, e.Code, e.Message);
        }
        var values = new JsonArray(result.Rows.Select(r => (JsonNode?)new JsonArray(r.Select(v => v?.DeepClone()).ToArray())).ToArray());
        var reply = new JsonObject
        {
            ["data"] = new JsonObject { ["fields"] = new JsonArray(result.Fields.Select(f => (JsonNode?)f).ToArray()), ["values"] = values },
            ["bookmarks"] = new JsonArray($"FB:double-{Interlocked.Increment(ref _bookmark)}"),
        };
        return new HttpResponseMessage(HttpStatusCode.Accepted) { Content = new StringContent(reply.ToJsonString(), Encoding.UTF8, "application/json") };
    }

    private static HttpResponseMessage Error(HttpStatusCode status, string code, string message) =>
        new(status)
        {
            Content = new StringContent(new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message }) }.ToJsonString(), Encoding.UTF8, "application/json"),
        };

    private sealed class DoubleError(string code, string message) : Exception(message)
    {
        public string Code { get; } = code;
    }

    // ---- parameters ----

    private static JsonNode? Value(JsonObject p, string name) =>
        p.TryGetPropertyValue(name, out var v) ? v : throw new DoubleError("Neo.ClientError.Statement.ParameterMissing", $"Expected parameter(s): {name}");

    private static string Text(JsonObject p, string name) =>
        Value(p, name) is JsonValue v && v.TryGetValue(out string? s) ? s : throw new DoubleError("Neo.ClientError.Statement.TypeError", $"{name}: expected a String");

    private static IEnumerable<string> Strings(JsonObject p, string name) =>
        Value(p, name) is JsonArray a ? a.Select(x => x is JsonValue v && v.TryGetValue(out string? s) ? s : throw new DoubleError("Neo.ClientError.Statement.TypeError", $"{name}: expected a List<String>")).ToArray()
        : throw new DoubleError("Neo.ClientError.Statement.TypeError", $"{name}: expected a List");

    private static IEnumerable<JsonObject> Rows(JsonObject p) =>
        Value(p, "rows") is JsonArray a ? a.Select(x => x as JsonObject ?? throw new DoubleError("Neo.ClientError.Statement.TypeError", "UNWIND $rows: expected maps")).ToArray()
        : throw new DoubleError("Neo.ClientError.Statement.TypeError", "rows: expected a List");

    // ---- results ----

    private static (string[], List<JsonNode?[]>) None() => ([], []);

    private static (string[], List<JsonNode?[]>) One(string[] fields, JsonNode?[] row) => (fields, [row]);

    private (string[], List<JsonNode?[]>) Constraint(string name)
    {
        _constraints.Add(name);
        return None();
    }

    private static readonly string[] ConceptFields = ["id", "scheme", "prefLabel", "altLabels", "definition", "facetFields", "facetValues", "yearFrom", "yearTo", "broader", "narrower", "related"];

    private (string[], List<JsonNode?[]>) Concepts(IEnumerable<string> ids) =>
        (ConceptFields, ids.Select(id =>
        {
            var c = _concepts[id];
            return new JsonNode?[]
            {
                c["id"]?.DeepClone(), c["scheme"]?.DeepClone(), c["prefLabel"]?.DeepClone(), c["altLabels"]?.DeepClone(), c["definition"]?.DeepClone(),
                c["facetFields"]?.DeepClone(), c["facetValues"]?.DeepClone(), c["yearFrom"]?.DeepClone(), c["yearTo"]?.DeepClone(),
                Ids(_broader.Where(e => e.From == id).Select(e => e.To)),
                Ids(_broader.Where(e => e.To == id).Select(e => e.From)),
                Ids(_related.Where(e => e.From == id).Select(e => e.To).Concat(_related.Where(e => e.To == id).Select(e => e.From))),
            };
        }).ToList());

    private static JsonArray Ids(IEnumerable<string> ids) => new(ids.Select(i => (JsonNode?)i).ToArray());

    // ---- statements ----

    private (string[], List<JsonNode?[]>) MergeConcepts(JsonObject p)
    {
        var version = Text(p, "version");
        foreach (var row in Rows(p))
        {
            var id = Text(row, "id");
            var node = _concepts.TryGetValue(id, out var existing) ? existing : _concepts[id] = new JsonObject { ["id"] = id };
            foreach (var property in new[] { "scheme", "prefLabel", "altLabels", "definition", "facetFields", "facetValues", "yearFrom", "yearTo", "ord" })
            {
                // SET n.p = null removes the property, as in Neo4j.
                if (row[property] is { } value) node[property] = value.DeepClone();
                else node.Remove(property);
            }
            node["version"] = version;
        }
        return None();
    }

    private (string[], List<JsonNode?[]>) MergeEdges(JsonObject p, HashSet<(string, string)> edges)
    {
        foreach (var row in Rows(p))
        {
            var (from, to) = (Text(row, "from"), Text(row, "to"));
            if (_concepts.ContainsKey(from) && _concepts.ContainsKey(to)) edges.Add((from, to)); // MATCH: no row when either is missing
        }
        return None();
    }

    private (string[], List<JsonNode?[]>) DeleteStale(JsonObject p)
    {
        var version = Text(p, "version");
        foreach (var id in _concepts.Where(c => c.Value["version"]?.GetValue<string>() != version).Select(c => c.Key).ToArray())
        {
            _concepts.Remove(id);
            _broader.RemoveWhere(e => e.From == id || e.To == id);
            _related.RemoveWhere(e => e.From == id || e.To == id);
            _carries.RemoveWhere(e => e.Concept == id);
        }
        return None();
    }

    /// <summary>The concept, what is below it (≤ 3 levels), related to it, and above it (≤ 3 levels).</summary>
    private IEnumerable<string> Neighbourhood(string id)
    {
        var down = Walk(id, 3, n => _broader.Where(e => e.To == n).Select(e => e.From));
        var side = _related.Where(e => e.From == id).Select(e => e.To).Concat(_related.Where(e => e.To == id).Select(e => e.From));
        var up = Walk(id, 3, n => _broader.Where(e => e.From == n).Select(e => e.To)).Skip(1);
        return down.Concat(side).Concat(up);
    }

    private static List<string> Walk(string start, int hops, Func<string, IEnumerable<string>> next)
    {
        var seen = new List<string> { start };
        var frontier = new List<string> { start };
        for (var h = 0; h < hops && frontier.Count > 0; h++)
        {
            frontier = frontier.SelectMany(next).Where(n => !seen.Contains(n)).Distinct().ToList();
            seen.AddRange(frontier);
        }
        return seen;
    }

    private (string[], List<JsonNode?[]>) MergeItems(JsonObject p)
    {
        var catalog = Text(p, "catalog");
        foreach (var row in Rows(p))
        {
            var key = Text(row, "key");
            _items[key] = new JsonObject { ["key"] = key, ["catalog"] = catalog, ["id"] = Text(row, "id"), ["title"] = row["title"]?.DeepClone() };
            _carries.RemoveWhere(e => e.Item == key);
            foreach (var concept in Strings(row, "concepts"))
                if (_concepts.ContainsKey(concept)) _carries.Add((key, concept));
        }
        return None();
    }

    private (string[], List<JsonNode?[]>) ReadItemConcepts(JsonObject p)
    {
        var rows = new List<JsonNode?[]>();
        foreach (var key in Strings(p, "keys"))
        {
            if (!_items.TryGetValue(key, out var item)) continue;
            var concepts = _carries.Where(e => e.Item == key).Select(e => e.Concept).ToArray();
            if (concepts.Length > 0) rows.Add([item["id"]?.DeepClone(), Ids(concepts)]);
        }
        return (["id", "concepts"], rows);
    }
}
