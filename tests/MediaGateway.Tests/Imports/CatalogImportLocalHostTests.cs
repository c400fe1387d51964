using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MediaGateway.Contracts;
using MediaGateway.Contracts.Imports;
using MediaGateway.Contracts.Jobs;
using MediaGateway.GpuRunner;
using MediaGateway.Storage;
using MediaGateway.Tests.Security;
using Microsoft.Extensions.DependencyInjection;

namespace MediaGateway.Tests.Imports;

/// <summary>
/// Catalog imports on the real local gateway (the embedded default: function classes on their routes, the runner
/// with the real engine taking the import from the queue), over real HTTP. A gateway of its own: imports replace
/// the catalog, which the other local-gateway tests search.
/// </summary>
public sealed class CatalogImportLocalHostTests(LocalGatewayFixture gateway) : IClassFixture<LocalGatewayFixture>
{
    private static int _client;

    /// <summary>A fresh client address per request keeps the rate limiter out of these tests.</summary>
    private static string NextClient() => $"198.18.20.{Interlocked.Increment(ref _client) % 250}";

    private static HttpRequestMessage Keyed(HttpRequestMessage request)
    {
        request.Headers.Add("x-functions-key", LocalGatewayFixture.FunctionKey);
        return LocalGatewayFixture.From(NextClient(), request);
    }

    private static HttpRequestMessage Upload(string body, string contentType = "application/x-ndjson") =>
        new(HttpMethod.Post, "/api/v1/catalog/imports") { Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue(contentType)) };

    private async Task<CatalogImportRecord> ImportAsync(string body)
    {
        using var post = await gateway.Client.SendAsync(Keyed(Upload(body)));
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var location = post.Headers.Location!.ToString();
        Assert.Matches("^/api/v1/catalog/imports/[0-9a-f]{32}$", location);
        for (var poll = 0; ; poll++)
        {
            Assert.True(poll < 1200, "the import did not finish in 2 minutes");
            using var get = await gateway.Client.SendAsync(Keyed(new HttpRequestMessage(HttpMethod.Get, location)));
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            var import = (await get.Content.ReadFromJsonAsync<CatalogImportRecord>(ContractJson.Options))!;
            if (import.Status.IsFinished()) return import;
            await Task.Delay(100);
        }
    }

    private async Task<(string? Version, string[] Titles)> SearchAsync(string query)
    {
        using var response = await gateway.Client.SendAsync(LocalGatewayFixture.From(NextClient(), new HttpRequestMessage(HttpMethod.Post, "/api/v1/search")
        {
            Content = JsonContent.Create(new { query, limit = 3 }),
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (body.RootElement.GetProperty("catalogVersion").GetString(),
            body.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("title").GetString()!).ToArray());
    }

    private string? ServedVersion => gateway.Services.GetRequiredService<EngineHost>().Engine!.CatalogVersion;

    [Fact]
    public async Task A_JSONL_import_makes_a_new_title_findable_changes_the_catalog_version_and_reports_a_bad_row()
    {
        var (before, _) = await SearchAsync("star wars"); // cached under the old catalog's version from now on
        var jsonl = string.Join('\n',
            """{"id":"quorvex-saga-2031","title":"The Quorvex Saga","year":2021,"genres":["Science Fiction"],"runtimeMinutes":118,"description":"Star pilots fight a robot armada across the galaxy."}""",
            """{"id":"no-title","year":1999}""",
            """{"id":"lantern-keeper-1988","title":"The Lantern Keeper","year":1988,"genres":["Drama"],"runtimeMinutes":95,"description":"A quiet drama about a lighthouse keeper and his daughter."}""",
            """{"title": this is not JSON""",
            """{"id":"giggle-farm-2005","title":"Giggle Farm","year":2005,"genres":["Comedy"],"runtimeMinutes":82,"description":"Talking animals make a farm laugh."}""");

        var import = await ImportAsync(jsonl);

        Assert.Equal(JobStatus.Succeeded, import.Status);
        Assert.Equal((5, 3, 2), (import.RowsRead, import.Imported, import.Rejected));
        Assert.Equal(2, import.Errors.Count);
        Assert.Contains(import.Errors, e => e.StartsWith("line 2:", StringComparison.Ordinal) && e.Contains("title", StringComparison.Ordinal));
        Assert.Contains(import.Errors, e => e.StartsWith("line 4:", StringComparison.Ordinal));
        Assert.Equal(before, import.PreviousCatalogVersion);
        Assert.NotNull(import.CatalogVersion);
        Assert.NotEqual(before, import.CatalogVersion);
        Assert.Equal(import.CatalogVersion, ServedVersion);
        Assert.Equal(3, gateway.Services.GetRequiredService<EngineHost>().Engine!.CatalogCount);

        var (version, titles) = await SearchAsync("the quorvex saga");
        Assert.Equal(import.CatalogVersion, version);
        Assert.Equal("The Quorvex Saga", titles[0]);
        // The query searched before the import is answered from the new catalog, not from the cache of the old one.
        var (again, starWars) = await SearchAsync("star wars");
        Assert.Equal(import.CatalogVersion, again);
        Assert.DoesNotContain(starWars, t => t.Contains("Star Wars", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_import_without_a_valid_row_fails_and_leaves_the_catalog_in_service()
    {
        var before = ServedVersion;
        var count = gateway.Services.GetRequiredService<EngineHost>().Engine!.CatalogCount;

        var import = await ImportAsync("""[{"year": 1990}, {"title": ""}, 42]""");

        Assert.Equal(JobStatus.Failed, import.Status);
        Assert.Equal((3, 0, 3), (import.RowsRead, import.Imported, import.Rejected));
        Assert.Equal(3, import.Errors.Count);
        Assert.Contains("unchanged", import.Error);
        Assert.Null(import.CatalogVersion);
        Assert.Equal(before, ServedVersion);
        Assert.Equal(count, gateway.Services.GetRequiredService<EngineHost>().Engine!.CatalogCount);
    }

    [Fact]
    public async Task A_form_encoded_body_as_curl_sends_by_default_is_a_415_that_says_how_to_send_it()
    {
        using var response = await gateway.Client.SendAsync(Keyed(Upload("""{"title":"X"}""", "application/x-www-form-urlencoded")));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("-H 'Content-Type: application/json'", problem.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_empty_array_fails_saying_the_file_holds_no_records()
    {
        var before = ServedVersion;
        var import = await ImportAsync("[]");

        Assert.Equal(JobStatus.Failed, import.Status);
        Assert.Equal("The file holds no records; the catalog in service is unchanged.", import.Error);
        Assert.Empty(import.Errors);
        Assert.Equal(before, ServedVersion);
    }

    [Fact]
    public async Task A_malformed_JSON_array_fails_and_leaves_the_catalog_in_service()
    {
        var before = ServedVersion;
        var import = await ImportAsync("""[{"title": "Half a film" """);
        Assert.Equal(JobStatus.Failed, import.Status);
        Assert.Equal("The file is not a valid JSON array (the first error is on line 1, at character 26); the catalog in service is unchanged.", import.Error);
        Assert.Equal(before, ServedVersion);
    }

    [Fact]
    public async Task An_import_message_for_no_waiting_import_goes_to_the_poison_queue_and_changes_nothing()
    {
        var before = ServedVersion;
        var queue = gateway.Services.GetRequiredService<InProcessMessageQueues>().GetQueue(StorageNames.SearchQueue);
        var forged = JsonSerializer.Serialize(new CatalogImportMessage { ImportId = JobIds.NewHandle() }, ContractJson.Options);

        await queue.SendRawAsync(forged);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!queue.PoisonMessages.Any(p => p.Contains("is waiting for this message", StringComparison.Ordinal)) && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Contains(queue.PoisonMessages, p => p.Contains("is waiting for this message", StringComparison.Ordinal));
        Assert.Equal(before, ServedVersion);
    }

    [Theory]
    [InlineData("POST", "/api/v1/catalog/imports")]
    [InlineData("GET", "/api/v1/catalog/imports/0123456789abcdef0123456789abcdef")]
    public async Task Import_routes_need_the_function_key(string method, string path)
    {
        var request = LocalGatewayFixture.From(NextClient(), new HttpRequestMessage(new HttpMethod(method), path));
        if (method == "POST") request.Content = new StringContent("""{"title":"Alien"}""", Encoding.UTF8, "application/x-ndjson");
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_file_over_the_limit_is_a_413_problem_and_starts_nothing()
    {
        var before = ServedVersion;
        var line = """{"title":"Padding","description":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}""" + "\n";
        var body = new StringBuilder(CatalogImportLimits.MaxBodyBytes + line.Length);
        while (body.Length <= CatalogImportLimits.MaxBodyBytes) body.Append(line);

        using var response = await gateway.Client.SendAsync(Keyed(Upload(body.ToString())));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("body", problem.RootElement.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(before, ServedVersion);
    }

    [Theory]
    [InlineData("", "application/x-ndjson", "body")]
    [InlineData("title,year\nAlien,1979\n", "text/plain", "body")]
    public async Task An_empty_or_non_JSON_file_is_a_400_naming_the_body(string body, string contentType, string field)
    {
        using var response = await gateway.Client.SendAsync(Keyed(Upload(body, contentType)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(field, problem.RootElement.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task An_unknown_import_id_is_a_404_and_a_malformed_one_a_400()
    {
        using var unknown = await gateway.Client.SendAsync(Keyed(new HttpRequestMessage(HttpMethod.Get, "/api/v1/catalog/imports/0123456789abcdef0123456789abcdef")));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var malformed = await gateway.Client.SendAsync(Keyed(new HttpRequestMessage(HttpMethod.Get, "/api/v1/catalog/imports/not_an_id!")));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
    }
}
