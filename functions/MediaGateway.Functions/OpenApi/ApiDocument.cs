using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using MediaGateway.Contracts;
using MediaGateway.Contracts.Batches;
using MediaGateway.Contracts.Imports;
using MediaGateway.Contracts.Search;
using MediaGateway.Functions.Batches;
using MediaGateway.Functions.Health;
using MediaGateway.Functions.Http;
using Microsoft.OpenApi;

namespace MediaGateway.Functions.OpenApi;

/// <summary>
/// The OpenAPI 3.1 document of the HTTP API, served at <c>GET /api/v1/openapi.json</c>. The routes are listed by hand
/// in <see cref="Describe"/> (what each answers and why cannot be read off the code); the body schemas are generated
/// from the wire types with the wire's own JSON options, so they cannot drift from what is sent. A test compares the
/// routes here with every <c>[Function]</c> that has an <c>[HttpTrigger]</c>, both ways.
/// </summary>
public static class ApiDocument
{
    public const string Route = "/api/v1/openapi.json";
    private const string FunctionKey = "functionKey";

    /// <summary>The document as JSON, built once.</summary>
    public static JsonNode Json => Cached.Value;

    private static readonly Lazy<JsonNode> Cached = new(() =>
    {
        using var text = new StringWriter();
        Build().SerializeAsV31(new OpenApiJsonWriter(text));
        return JsonNode.Parse(text.ToString())!;
    });

    public static OpenApiDocument Build()
    {
        var document = new OpenApiDocument
        {
            Info = new OpenApiInfo
            {
                Title = "MediaGateway",
                Version = "v1",
                Description = "Semantic media discovery: ranked, explained results from a catalog of films and series. "
                    + "Errors are RFC 9457 problem documents (application/problem+json) naming each bad field.",
            },
            Paths = new OpenApiPaths(),
            Components = new OpenApiComponents
            {
                Schemas = new Dictionary<string, IOpenApiSchema>
                {
                    ["SearchRequest"] = SchemaOf<SearchRequest>(),
                    ["SearchResponse"] = SchemaOf<SearchResponse>(),
                    ["JobView"] = SchemaOf<JobView>(),
                    ["PublicHealth"] = SchemaOf<PublicHealthView>(),
                    ["HealthDetails"] = SchemaOf<HealthView>(),
                    ["BatchSearchRequest"] = SchemaOf<BatchSearchRequest>(),
                    ["BatchView"] = SchemaOf<BatchView>(),
                    ["MediaDetails"] = SchemaOf<MediaDetails>(),
                    ["RecommendationRequest"] = SchemaOf<RecommendationRequest>(),
                    ["ConceptSearchResponse"] = SchemaOf<ConceptSearchResponse>(),
                    ["CatalogImport"] = SchemaOf<CatalogImportRecord>(),
                    ["CatalogImportFromBlob"] = SchemaOf<CatalogImportFromBlob>(),
                    ["Problem"] = ProblemSchema(),
                },
                SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
                {
                    [FunctionKey] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "x-functions-key",
                        Description = "A function key of the Functions app (locally: the key the local host logs at start). The `code` query parameter works too.",
                    },
                },
            },
        };
        var builder = new Builder(document);
        Describe(builder);
        return document;
    }

    /// <summary>
    /// Every HTTP route, one statement each. To document a new route, add one here next to its neighbours:
    /// <c>api.Add(HttpMethod.Get, "/api/v1/things/{id}", "GetThing", "What it does", body: null, api.Ok("Thing"), api.BadRequest, api.NotFound)</c>,
    /// listing every status the route can answer (every route: 400 for a query parameter it does not take, and 429),
    /// and its body schema to <see cref="OpenApiComponents.Schemas"/> above. <c>OpenApiDocumentTests</c> fails until you do.
    /// </summary>
    private static void Describe(Builder api)
    {
        api.Add(HttpMethod.Post, "/api/v1/search", "Search",
            "Search the catalog. Answers 200 with results when they are ready within a short wait (cached answers at once); otherwise 202 with the job to poll.",
            body: api.JsonBody("SearchRequest", SearchLimits.MaxBodyBytes),
            api.Ok("SearchResponse", "Ranked, explained results (cached: true when served from the cache)."),
            api.Accepted(),
            api.BadRequest, api.TooLarge(SearchLimits.MaxBodyBytes), api.UnsupportedMediaType,
            api.TooManyRequests, api.BadGateway, api.Unavailable);
        api.Add(HttpMethod.Get, "/api/v1/jobs/{id}", "GetJob",
            "A search job's status and, once it has succeeded, its result. Retry-After while it is queued or running.",
            body: null,
            api.Ok("JobView", "The job; `result` is present once it has succeeded.", retryAfter: true),
            api.BadRequest, api.Problem(404, "No such job, or it has expired (24 h)."), api.TooManyRequests, api.Unavailable);
        api.Add(HttpMethod.Post, "/api/v1/search/batch", "SearchBatch",
            "Start a batch of up to 1,000 searches (function key). Answers 202 with the batch to follow; each query is validated like POST /search.",
            body: api.JsonBody("BatchSearchRequest", BatchLimits.MaxBodyBytes),
            api.Json(202, "BatchView", "Accepted: follow the batch at Location (/api/v1/batches/{id})."),
            api.BadRequest, api.Unauthorized, api.TooLarge(BatchLimits.MaxBodyBytes),
            api.UnsupportedMediaType, api.TooManyRequests, api.Unavailable);
        api.Secure("/api/v1/search/batch", HttpMethod.Post);
        api.Add(HttpMethod.Get, "/api/v1/batches/{id}", "GetBatch",
            "A batch's progress (done / failed / total) and, when finished, where its results are (function key).",
            body: null,
            api.Ok("BatchView", "The batch; Retry-After while it runs.", retryAfter: true),
            api.BadRequest, api.Unauthorized, api.Problem(404, "No such batch, or it has expired."),
            api.TooManyRequests, api.Unavailable);
        api.Secure("/api/v1/batches/{id}", HttpMethod.Get);
        api.Add(HttpMethod.Get, "/api/v1/batches/{id}/results", "GetBatchResults",
            "The batch's results as JSON Lines (application/x-ndjson), one line per query in input order, with per-query errors (function key).",
            body: null,
            new("200", new OpenApiResponse { Description = "One JSON object per line.", Content = new Dictionary<string, IOpenApiMediaType> { ["application/x-ndjson"] = new OpenApiMediaType() } }),
            api.BadRequest, api.Unauthorized, api.Problem(404, "No such batch, or it has expired."),
            api.Problem(409, "The batch has not succeeded (yet)."), api.TooManyRequests, api.Unavailable);
        api.Secure("/api/v1/batches/{id}/results", HttpMethod.Get);
        api.Add(HttpMethod.Post, "/api/v1/catalog/imports", "StartCatalogImport",
            "Replace the catalog (function key): a JSON array or JSON Lines of catalog records, at most 16 MiB, or {\"blobUrl\": ...} naming a blob (at most 128 MiB) in this deployment's storage account, which the runner reads with its own identity (other hosts, SAS tokens and queries are refused). Answers 202 with the import to follow; rows are validated and embedded on the runner, and the new catalog is published (every runner replica, and every restart, serves it) and swapped in atomically.",
            body: null,
            api.Json(202, "CatalogImport", "Accepted: follow the import at Location (/api/v1/catalog/imports/{id})."),
            api.BadRequest, api.Unauthorized, api.TooLarge(CatalogImportLimits.MaxBodyBytes),
            api.Problem(415, "Not JSON or JSON Lines, or a charset other than utf-8."), api.TooManyRequests, api.Unavailable);
        api.Body("/api/v1/catalog/imports", HttpMethod.Post, "The catalog file (JSON array or JSON Lines; docs/catalog-format.md), or a blob to read it from.",
            CatalogImportLimits.MaxBodyBytes, ("application/json", null), ("application/x-ndjson", null));
        api.Secure("/api/v1/catalog/imports", HttpMethod.Post);
        api.Add(HttpMethod.Get, "/api/v1/catalog/imports/{id}", "GetCatalogImport",
            "An import's state, stage, rows read / imported / rejected, the first row errors and the catalog versions (function key).",
            body: null,
            api.Ok("CatalogImport", "The import."),
            api.BadRequest, api.Unauthorized, api.Problem(404, "No such import, or it has expired."),
            api.TooManyRequests, api.Unavailable);
        api.Secure("/api/v1/catalog/imports/{id}", HttpMethod.Get);
        api.Add(HttpMethod.Get, "/api/v1/media/{id}", "GetMedia",
            "One catalog item's facts.",
            body: null,
            api.Ok("MediaDetails", "The item."), api.AcceptedAskAgain(),
            api.BadRequest, api.Problem(404, "The catalog has no such item."), api.TooManyRequests, api.BadGateway, api.Unavailable);
        api.Add(HttpMethod.Get, "/api/v1/media/{id}/similar", "SimilarMedia",
            "Items like this one, ranked and explained; query parameter `limit` 1–100.",
            body: null,
            api.Ok("SearchResponse", "Ranked, explained results."), api.AcceptedAskAgain(),
            api.BadRequest, api.Problem(404, "The catalog has no such item."), api.TooManyRequests, api.BadGateway, api.Unavailable);
        api.Query("/api/v1/media/{id}/similar", HttpMethod.Get, Builder.Limit());
        api.Add(HttpMethod.Post, "/api/v1/recommendations", "Recommendations",
            "Items for someone who liked and disliked the given items and prefers the given concepts, ranked with the personalisation term.",
            body: api.JsonBody("RecommendationRequest", SearchLimits.MaxBodyBytes),
            api.Ok("SearchResponse", "Ranked, explained results."), api.Accepted(),
            api.BadRequest, api.Problem(404, "An item or concept named is not in the catalog."), api.TooLarge(SearchLimits.MaxBodyBytes),
            api.UnsupportedMediaType, api.TooManyRequests, api.BadGateway, api.Unavailable);
        api.Add(HttpMethod.Get, "/api/v1/concepts", "Concepts",
            "Ontology concepts matching `q` (labels, accent- and case-insensitive), with their broader and narrower concepts; `limit` 1–100.",
            body: null,
            api.Ok("ConceptSearchResponse", "Matching concepts."), api.AcceptedAskAgain(),
            api.BadRequest, api.TooManyRequests, api.BadGateway, api.Unavailable);
        api.Query("/api/v1/concepts", HttpMethod.Get,
            new OpenApiParameter
            {
                Name = "q", Required = true, Description = $"The words to find concepts by (1–{SearchLimits.MaxConceptQueryLength} characters).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = SearchLimits.MaxConceptQueryLength },
            },
            Builder.Limit());
        api.Add(HttpMethod.Get, "/api/v1/health", "Health",
            "Healthy, Degraded or Unhealthy, overall and per dependency; states only.",
            body: null,
            api.Ok("PublicHealth", "Healthy or Degraded."), api.Json(503, "PublicHealth", "Unhealthy: `failing` names each dependency that is down, with its check's latency.",
                retryAfter: true, retryAfterDescription: "Seconds before asking again."), api.BadRequest, api.TooManyRequests);
        api.Add(HttpMethod.Get, "/api/v1/health/details", "HealthDetails",
            "What each dependency is doing, in words: queue, runner heartbeat, backend and model, versions (function key).",
            body: null,
            api.Ok("HealthDetails", "Healthy or Degraded."), api.Json(503, "HealthDetails", "Unhealthy: a dependency is down.", retryAfter: true, retryAfterDescription: "Seconds before asking again."),
            api.BadRequest, api.Unauthorized, api.TooManyRequests);
        api.Secure("/api/v1/health/details", HttpMethod.Get);
        api.Add(HttpMethod.Get, Route, "OpenApi",
            "This document.",
            body: null,
            new("200", new OpenApiResponse { Description = "The OpenAPI 3.1 document.", Content = new Dictionary<string, IOpenApiMediaType> { ["application/json"] = new OpenApiMediaType() } }),
            api.BadRequest, api.TooManyRequests);
    }

    /// <summary>The JSON Schema of a wire type as <see cref="ContractJson"/> reads and writes it (names, enums, nulls, unknown fields refused).</summary>
    private static OpenApiSchema SchemaOf<T>()
    {
        var node = JsonSchemaExporter.GetJsonSchemaAsNode(ContractJson.Options, typeof(T), new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true, TransformSchemaNode = SchemaBounds.Apply });
        return Parse(InlineLocalReferences(node, node, depth: 0)!);
    }

    /// <summary>
    /// The exporter writes a type met a second time as <c>{"$ref": "#/properties/…"}</c>, a pointer into the type's own
    /// schema; inside an OpenAPI document such a pointer resolves against the document's root and names nothing. Each is
    /// replaced by a copy of what it points to (the wire types hold no cycles; <paramref name="depth"/> bounds a mistake).
    /// </summary>
    private static JsonNode? InlineLocalReferences(JsonNode? node, JsonNode root, int depth)
    {
        if (depth > 32) throw new InvalidOperationException("A wire type's schema refers to itself: it cannot be inlined.");
        return node switch
        {
            JsonObject o when o["$ref"] is JsonValue v && v.TryGetValue<string>(out var pointer) && pointer.StartsWith("#/", StringComparison.Ordinal) =>
                InlineLocalReferences(Resolve(root, pointer), root, depth + 1),
            JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, InlineLocalReferences(p.Value, root, depth)))),
            JsonArray a => new JsonArray(a.Select(item => InlineLocalReferences(item, root, depth)).ToArray()),
            _ => node?.DeepClone(),
        };
    }

    /// <summary>The node a JSON pointer ("#/properties/a~1b/items") names in <paramref name="root"/>.</summary>
    private static JsonNode Resolve(JsonNode root, string pointer) =>
        pointer[2..].Split('/').Aggregate((JsonNode?)root, (at, part) =>
        {
            var name = part.Replace("~1", "/").Replace("~0", "~");
            return at is JsonArray a && int.TryParse(name, out var index) ? a[index] : at?[name];
        }) ?? throw new InvalidOperationException($"The schema pointer {pointer} names nothing.");

    /// <summary>RFC 9457, as <c>Problems.Create</c> writes it (the framework's ProblemDetails plus <c>errors</c>).</summary>
    private static OpenApiSchema ProblemSchema() => Parse(JsonNode.Parse("""
        {
          "type": "object",
          "required": ["type", "title", "status", "errors"],
          "properties": {
            "type": { "type": "string", "description": "Always about:blank: the status and title say what happened." },
            "title": { "type": "string" },
            "status": { "type": "integer" },
            "detail": { "type": "string", "description": "What was wrong, every bad field named." },
            "instance": { "type": "string", "description": "The path of the request, or of the job it concerns." },
            "errors": {
              "type": "array",
              "description": "Each bad field, query parameter or list element (filters.genres[1]); empty when no one field is to blame.",
              "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": { "field": { "type": "string", "description": "JSON path of the field, e.g. filters.yearRange[0]." }, "message": { "type": "string" } }
              }
            }
          }
        }
        """)!);

    private static OpenApiSchema Parse(JsonNode schema)
    {
        var options = new JsonSerializerOptions { Converters = { new OpenApiSchemaJsonConverter(OpenApiSpecVersion.OpenApi3_1) } };
        return schema.Deserialize<OpenApiSchema>(options) ?? throw new InvalidOperationException("Could not read a generated schema.");
    }
}
