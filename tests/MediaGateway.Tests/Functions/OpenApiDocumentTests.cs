using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using MediaGateway.Contracts.Batches;
using MediaGateway.Contracts.Imports;
using MediaGateway.Contracts.Search;
using MediaGateway.Functions;
using MediaGateway.Tests.Security;
using Microsoft.Azure.Functions.Worker;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace MediaGateway.Tests.Functions;

/// <summary>
/// The OpenAPI document served at /api/v1/openapi.json describes exactly the routes the function classes declare:
/// a route added without documenting it (or documented but gone) fails here.
/// </summary>
[Collection(LocalGatewayCollection.Name)]
public sealed class OpenApiDocumentTests(LocalGatewayFixture gateway)
{
    /// <summary>Every [Function] method with an [HttpTrigger] parameter, as "VERB /api/route", read from the attributes alone.</summary>
    internal static string[] DeclaredRoutes() =>
        (from type in typeof(GatewayRegistration).Assembly.GetExportedTypes()
         from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
         where method.GetCustomAttribute<FunctionAttribute>() is not null
         let trigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)
         where trigger is not null
         from verb in trigger.Methods!
         select $"{verb.ToUpperInvariant()} /api/{trigger.Route}").Order().ToArray();

    private async Task<(string Json, OpenApiDocument Document)> FetchAsync()
    {
        using var response = await gateway.Client.SendAsync(LocalGatewayFixture.From("198.51.100.91", new HttpRequestMessage(HttpMethod.Get, "/api/v1/openapi.json")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync();
        var settings = new OpenApiReaderSettings();
        var read = OpenApiDocument.Parse(json, "json", settings);
        Assert.Empty(read.Diagnostic?.Errors ?? []);
        return (json, read.Document!);
    }

    [Fact]
    public async Task The_document_lists_every_http_function_with_its_methods_and_nothing_else()
    {
        var (_, document) = await FetchAsync();
        var documented = document.Paths.SelectMany(p => p.Value.Operations!.Keys.Select(m => $"{m.Method.ToUpperInvariant()} {p.Key}")).Order().ToArray();

        Assert.Equal(DeclaredRoutes(), documented);
    }

    [Fact]
    public async Task It_is_openapi_3_with_request_response_and_problem_schemas()
    {
        var (json, document) = await FetchAsync();
        using var raw = JsonDocument.Parse(json);
        Assert.StartsWith("3.", raw.RootElement.GetProperty("openapi").GetString());

        var search = document.Paths["/api/v1/search"].Operations![HttpMethod.Post];
        Assert.Equal("SearchRequest", ((OpenApiSchemaReference)search.RequestBody!.Content!["application/json"].Schema!).Reference.Id);
        Assert.Contains("query", document.Components!.Schemas!["SearchRequest"].Properties!.Keys);
        Assert.Contains("results", document.Components.Schemas["SearchResponse"].Properties!.Keys);
        Assert.Contains("errors", document.Components.Schemas["Problem"].Properties!.Keys);
        foreach (var status in new[] { "200", "202", "400", "413", "415", "429", "503" }) Assert.Contains(status, search.Responses!.Keys);
        Assert.Contains("Retry-After", search.Responses!["429"].Headers!.Keys);
        Assert.Contains("Retry-After", search.Responses!["503"].Headers!.Keys);
        Assert.Contains("Location", search.Responses!["202"].Headers!.Keys);
        Assert.Contains("application/problem+json", search.Responses!["400"].Content!.Keys);
        Assert.NotEmpty(document.Paths["/api/v1/health/details"].Operations![HttpMethod.Get].Security!);
        Assert.Contains("id", document.Paths["/api/v1/jobs/{id}"].Operations![HttpMethod.Get].Parameters!.Select(p => p.Name));
    }

    [Fact]
    public async Task Every_reference_resolves_from_the_documents_root_and_numbers_are_numbers()
    {
        var (json, document) = await FetchAsync();
        using var raw = JsonDocument.Parse(json);
        var references = new List<string>();
        void Walk(JsonElement e)
        {
            if (e.ValueKind == JsonValueKind.Object)
                foreach (var p in e.EnumerateObject())
                    if (p.Name == "$ref") references.Add(p.Value.GetString()!); else Walk(p.Value);
            else if (e.ValueKind == JsonValueKind.Array)
                foreach (var item in e.EnumerateArray()) Walk(item);
        }
        Walk(raw.RootElement);

        // A schema exporter's "#/properties/…" pointer names nothing in an OpenAPI document (it resolves from the root).
        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.Matches("^#/components/(schemas|securitySchemes)/[A-Za-z]+$", r));
        Assert.All(references, r => Assert.True(raw.RootElement.GetProperty("components").GetProperty(r.Split('/')[2]).TryGetProperty(r.Split('/')[3], out _), r));
        // The concepts' links are written out where the exporter had pointed back at the first of them.
        var concept = raw.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("ConceptSearchResponse")
            .GetProperty("properties").GetProperty("concepts").GetProperty("items").GetProperty("properties");
        Assert.Equal(concept.GetProperty("broader").GetRawText(), concept.GetProperty("narrower").GetRawText());
        // Numbers are JSON numbers on the wire, both ways: no "integer or string" unions for generated clients.
        var limit = raw.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("SearchRequest").GetProperty("properties").GetProperty("limit");
        Assert.DoesNotContain("string", limit.GetRawText());
        Assert.False(limit.TryGetProperty("pattern", out _));
    }

    [Fact]
    public async Task Request_bounds_are_the_limits_the_validators_enforce()
    {
        var (json, document) = await FetchAsync();
        using var raw = JsonDocument.Parse(json);
        var schemas = raw.RootElement.GetProperty("components").GetProperty("schemas");
        JsonElement At(string schema, params string[] path) => path.Aggregate(schemas.GetProperty(schema), (at, name) => at.GetProperty(name));
        void Bound(JsonElement at, string keyword, double value) => Assert.Equal(value, at.GetProperty(keyword).GetDouble());

        var search = At("SearchRequest", "properties");
        Bound(search.GetProperty("query"), "minLength", 1);
        Bound(search.GetProperty("query"), "maxLength", SearchLimits.MaxQueryLength);
        Bound(search.GetProperty("limit"), "minimum", 1);
        Bound(search.GetProperty("limit"), "maximum", SearchLimits.MaxLimit);
        var filters = search.GetProperty("filters").GetProperty("properties");
        foreach (var list in new[] { "genres", "creativeTypes", "mpaaRatings" })
        {
            Bound(filters.GetProperty(list), "maxItems", SearchLimits.MaxFilterValues);
            Bound(filters.GetProperty(list).GetProperty("items"), "maxLength", SearchLimits.MaxFilterValueLength);
        }
        Bound(filters.GetProperty("yearRange"), "minItems", 2);
        Bound(filters.GetProperty("yearRange"), "maxItems", 2);
        Bound(filters.GetProperty("yearRange").GetProperty("items"), "minimum", SearchLimits.MinYear);
        Bound(filters.GetProperty("yearRange").GetProperty("items"), "maximum", SearchLimits.MaxYear);
        Bound(filters.GetProperty("runtimeRange").GetProperty("items"), "maximum", SearchLimits.MaxRuntimeMinutes);
        Bound(filters.GetProperty("minRating"), "maximum", SearchLimits.MaxRating);

        var batch = At("BatchSearchRequest", "properties", "queries");
        Bound(batch, "minItems", 1);
        Bound(batch, "maxItems", BatchLimits.MaxQueries);
        // Each query of a batch is a search request, with the same bounds.
        Bound(batch.GetProperty("items").GetProperty("properties").GetProperty("query"), "maxLength", SearchLimits.MaxQueryLength);

        var recommendation = At("RecommendationRequest", "properties");
        foreach (var list in new[] { "liked", "disliked", "concepts" })
        {
            Bound(recommendation.GetProperty(list), "maxItems", SearchLimits.MaxRecommendationInputs);
            Bound(recommendation.GetProperty(list).GetProperty("items"), "maxLength", SearchLimits.MaxItemIdLength);
        }
        Bound(recommendation.GetProperty("limit"), "maximum", SearchLimits.MaxLimit);
        Bound(At("CatalogImportFromBlob", "properties", "blobUrl"), "maxLength", CatalogImportFromBlob.MaxUrlLength);

        var concepts = document.Paths["/api/v1/concepts"].Operations![HttpMethod.Get].Parameters!;
        Assert.Equal(SearchLimits.MaxConceptQueryLength, concepts.Single(p => p.Name == "q").Schema!.MaxLength);
        Assert.Equal(SearchLimits.MaxLimit.ToString(), concepts.Single(p => p.Name == "limit").Schema!.Maximum);

        // Body sizes, in the words of the request body and its 413 (OpenAPI has no keyword for bytes).
        foreach (var (path, maxBytes) in new[] { ("/api/v1/search", SearchLimits.MaxBodyBytes), ("/api/v1/recommendations", SearchLimits.MaxBodyBytes),
            ("/api/v1/search/batch", BatchLimits.MaxBodyBytes), ("/api/v1/catalog/imports", CatalogImportLimits.MaxBodyBytes) })
        {
            var operation = document.Paths[path].Operations![HttpMethod.Post];
            Assert.Contains($"at most {maxBytes} bytes", operation.RequestBody!.Description);
            Assert.Contains($"{maxBytes} bytes", operation.Responses!["413"].Description);
        }
    }

    [Fact]
    public async Task Every_operation_documents_each_status_its_kind_of_route_can_answer()
    {
        var (_, document) = await FetchAsync();
        // The routes answered by the runner (through SearchGateway), which can fail there: 502.
        string[] runnerRoutes = ["/api/v1/search", "/api/v1/media/{id}", "/api/v1/media/{id}/similar", "/api/v1/recommendations", "/api/v1/concepts"];
        foreach (var (path, item) in document.Paths)
            foreach (var (method, operation) in item.Operations!)
            {
                var documented = operation.Responses!.Keys.ToHashSet();
                var name = $"{method} {path}";
                var expected = new List<string> { "400", "429" };      // a query parameter the route does not take; the rate limit
                if (operation.Security is { Count: > 0 }) expected.Add("401");
                if (operation.RequestBody is not null) expected.AddRange(["413", "415"]);
                if (path.Contains("{id}")) expected.Add("404");
                if (runnerRoutes.Contains(path)) expected.Add("502");
                if (path != ApiDocumentRoute && !path.StartsWith("/api/v1/health")) expected.Add("503");
                Assert.All(expected, status => Assert.True(documented.Contains(status), $"{name} does not document {status}"));
                if (operation.Security is { Count: > 0 }) Assert.Contains("WWW-Authenticate", operation.Responses["401"].Headers!.Keys);
                // Every error is a problem, but for the health routes' 503, which is their report.
                Assert.All(operation.Responses.Where(r => r.Key[0] == '4' || (r.Key[0] == '5' && !path.StartsWith("/api/v1/health"))),
                    r => Assert.Equal(["application/problem+json"], r.Value.Content!.Keys));
                if (operation.RequestBody is { } body && path != "/api/v1/catalog/imports") Assert.Equal(["application/json"], body.Content!.Keys);
            }
    }

    private const string ApiDocumentRoute = "/api/v1/openapi.json";

    [Fact]
    public async Task Every_status_the_hostile_suite_gets_from_a_documented_operation_is_documented_there()
    {
        var (_, document) = await FetchAsync();
        foreach (var hostile in HostileRequests.All)
        {
            var path = hostile.Path.Split('?')[0];
            var template = document.Paths.Keys.FirstOrDefault(t =>
                System.Text.RegularExpressions.Regex.IsMatch(path, "^" + System.Text.RegularExpressions.Regex.Replace(System.Text.RegularExpressions.Regex.Escape(t), @"\\\{\w+}", "[^/]+") + "$"));
            // Unknown routes, unserved methods and Kestrel's header limits are the host's answers, not an operation's.
            if (template is null || hostile.ExpectedStatus == 431 || !document.Paths[template].Operations!.TryGetValue(hostile.Method, out var operation)) continue;
            Assert.True(operation.Responses!.ContainsKey(hostile.ExpectedStatus.ToString()), $"{hostile.Method} {template} answers {hostile.ExpectedStatus} to '{hostile.Name}' but does not document it");
        }
    }

    [Fact]
    public async Task Query_parameters_are_documented_where_routes_read_them()
    {
        var (_, document) = await FetchAsync();
        var concepts = document.Paths["/api/v1/concepts"].Operations![HttpMethod.Get].Parameters!;
        Assert.Equal([("q", ParameterLocation.Query, true), ("limit", ParameterLocation.Query, false)], concepts.Select(p => (p.Name!, p.In!.Value, p.Required)));
        var similar = document.Paths["/api/v1/media/{id}/similar"].Operations![HttpMethod.Get].Parameters!;
        Assert.Equal([("id", ParameterLocation.Path), ("limit", ParameterLocation.Query)], similar.Select(p => (p.Name!, p.In!.Value)));
    }

    [Fact]
    public async Task A_real_search_response_and_problem_use_only_documented_fields()
    {
        var (_, document) = await FetchAsync();
        using var ok = await gateway.Client.SendAsync(LocalGatewayFixture.From("198.51.100.92", new HttpRequestMessage(HttpMethod.Post, "/api/v1/search") { Content = JsonContent.Create(new { query = "star wars", limit = 1 }) }));
        using var bad = await gateway.Client.SendAsync(LocalGatewayFixture.From("198.51.100.92", new HttpRequestMessage(HttpMethod.Post, "/api/v1/search") { Content = JsonContent.Create(new { query = "", limit = 500 }) }));

        AssertDocumented(document.Components!.Schemas!["SearchResponse"], await ok.Content.ReadAsStringAsync());
        AssertDocumented(document.Components.Schemas["Problem"], await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public void The_http_file_beside_the_functions_has_an_example_of_every_route()
    {
        var file = Path.Combine(MediaGateway.Tests.Support.EngineFixture.RepositoryRoot, "functions", "MediaGateway.Functions", "MediaGateway.http");
        // "GET {{host}}/api/v1/jobs/{{search.response.body.$.jobId}}" → "GET /api/v1/jobs/{id}": a variable in a path segment stands for a route parameter.
        var examples = File.ReadLines(file)
            .Select(line => System.Text.RegularExpressions.Regex.Match(line, @"^(GET|POST|PUT|PATCH|DELETE) \{\{host\}\}(/\S+)$"))
            .Where(m => m.Success)
            .Select(m => (Verb: m.Groups[1].Value, Path: m.Groups[2].Value.Split('?')[0]))   // a query string is not part of the route
            .ToArray();

        foreach (var route in DeclaredRoutes())
        {
            var (verb, template) = (route[..route.IndexOf(' ')], route[(route.IndexOf(' ') + 1)..]);
            var pattern = "^" + System.Text.RegularExpressions.Regex.Replace(System.Text.RegularExpressions.Regex.Escape(template), @"\\\{\w+}", @"[^/]+") + "$";
            Assert.True(examples.Any(e => e.Verb == verb && System.Text.RegularExpressions.Regex.IsMatch(e.Path, pattern)), $"MediaGateway.http has no example of {route}");
        }
    }

    private static void AssertDocumented(IOpenApiSchema schema, string body)
    {
        using var json = JsonDocument.Parse(body);
        foreach (var property in json.RootElement.EnumerateObject())
            Assert.True(schema.Properties!.ContainsKey(property.Name), $"'{property.Name}' is not in the schema");
    }
}
