using System.Net;
using System.Text.Json;
using MediaGateway.Tests.Functions;

namespace MediaGateway.Tests.Security;

/// <summary>
/// Every route refuses a query parameter it does not take (400 naming it) instead of ignoring it: a caller who sends
/// <c>POST /search?limit=5</c> learns that the limit was not applied. Routes are read from the function attributes,
/// so a new route is covered without being listed here.
/// </summary>
[Collection(LocalGatewayCollection.Name)]
public sealed class QueryStringTests(LocalGatewayFixture gateway)
{
    public static TheoryData<string> Routes => new(OpenApiDocumentTests.DeclaredRoutes());

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task An_unknown_query_parameter_is_a_400_naming_it(string route)
    {
        var (verb, template) = (route[..route.IndexOf(' ')], route[(route.IndexOf(' ') + 1)..]);
        // An id of the right form, so nothing but the parameter is wrong; the key, so a keyed route gets that far.
        var path = template.Replace("{id}", "0123456789abcdef0123456789abcdef") + "?unexpected=1";
        var request = new HttpRequestMessage(new HttpMethod(verb), path);
        request.Headers.Add("x-functions-key", LocalGatewayFixture.FunctionKey);
        if (verb == "POST") request.Content = new StringContent("""{"query":"a"}""", System.Text.Encoding.UTF8, "application/json");
        var client = $"198.18.7.{Array.IndexOf(OpenApiDocumentTests.DeclaredRoutes(), route) + 1}";

        using var response = await gateway.Client.SendAsync(LocalGatewayFixture.From(client, request));
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("unexpected", problem.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()));
    }
}
