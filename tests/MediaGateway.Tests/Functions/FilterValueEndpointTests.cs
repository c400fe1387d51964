using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MediaGateway.Tests.Security;

namespace MediaGateway.Tests.Functions;

/// <summary>
/// Filter values the catalog does not have, on the local gateway over real HTTP (the runner with the real engine and
/// the demo catalog): only the runner knows which genres, creative types and ratings exist, so the answer comes back
/// from it and the gateway turns it into a 400 naming the value's position, with the values the catalog does have.
/// </summary>
[Collection(LocalGatewayCollection.Name)]
public sealed class FilterValueEndpointTests(LocalGatewayFixture gateway)
{
    private async Task<(HttpResponseMessage Response, JsonElement Body)> SearchAsync(string client, object body)
    {
        var response = await gateway.Client.SendAsync(LocalGatewayFixture.From(client, new HttpRequestMessage(HttpMethod.Post, "/api/v1/search") { Content = JsonContent.Create(body) }));
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response, doc.RootElement.Clone());
    }

    [Theory]
    [InlineData("genres", "Horor", "filters.genres[1]", "Horror")]
    [InlineData("creativeTypes", "Sci-Fi", "filters.creativeTypes[1]", "Science Fiction")]
    [InlineData("mpaaRatings", "PG13", "filters.mpaaRatings[1]", "PG-13")]
    public async Task A_filter_value_no_item_has_is_a_400_naming_its_position_and_listing_the_catalogs_values(string filter, string typo, string field, string listed)
    {
        var good = filter switch { "genres" => "Comedy", "creativeTypes" => "Fantasy", _ => "R" };
        var (response, body) = await SearchAsync("198.51.100.40", new { query = "a night to remember", filters = new Dictionary<string, string[]> { [filter] = [good, typo] } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
        Assert.Equal(field, error.GetProperty("field").GetString());
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains($"'{typo}'", message);
        Assert.Contains(listed, message);
        Assert.Contains(good, message);
    }

    [Fact]
    public async Task Known_values_in_any_case_are_answered()
    {
        var (response, body) = await SearchAsync("198.51.100.41", new { query = "ghosts", filters = new { genres = new[] { "horror" }, mpaaRatings = new[] { "r", "pg-13" } } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(body.GetProperty("results").EnumerateArray());
        Assert.All(body.GetProperty("results").EnumerateArray(), r => Assert.Contains("Horror", r.GetProperty("genre").GetString()));
    }
}
