using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
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
