using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MediaGateway.Tests.Security;

/// <summary>A bounded flood from one client gets 429s with Retry-After; other callers are served as before.</summary>
[Collection(LocalGatewayCollection.Name)]
public sealed class RateLimitTests(LocalGatewayFixture gateway)
{
    private async Task<HttpResponseMessage> SearchAsync(string client, string query) =>
        await gateway.Client.SendAsync(LocalGatewayFixture.From(client, new HttpRequestMessage(HttpMethod.Post, "/api/v1/search")
        {
            Content = JsonContent.Create(new { query, limit = 1 }),
        }));

    [Fact]
    public async Task A_flood_from_one_client_gets_429_with_Retry_After_while_normal_traffic_continues()
    {
        const string flooder = "198.18.0.1";
        const int flood = 60; // bounded: six times the burst, sent at once
        var responses = await Task.WhenAll(Enumerable.Range(0, flood).Select(_ => SearchAsync(flooder, "alien")));
        try
        {
            var statuses = responses.Select(r => (int)r.StatusCode).ToArray();
            // The bucket lets the burst through (plus at most a token or two refilled during the flood), no more.
            Assert.InRange(statuses.Count(s => s == 200), LocalGatewayFixture.SearchBurst, LocalGatewayFixture.SearchBurst + 3);
            Assert.Equal(flood, statuses.Count(s => s is 200 or 429));

            var limited = responses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
            Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
            Assert.True(int.TryParse(limited.Headers.GetValues("Retry-After").Single(), out var retryAfter) && retryAfter >= 1);
            using var problem = JsonDocument.Parse(await limited.Content.ReadAsStringAsync());
            Assert.Equal(429, problem.RootElement.GetProperty("status").GetInt32());

            // Someone else is served normally, during and after the flood.
            var (status, title) = await gateway.NormalSearchAsync("198.18.0.2");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.StartsWith("Star Wars", title);
            Assert.Equal("Healthy", await gateway.HealthAsync("198.18.0.2"));

            // The flooder itself is let through again once its Retry-After has passed.
            await Task.Delay(TimeSpan.FromSeconds(retryAfter) + TimeSpan.FromMilliseconds(200));
            using var again = await SearchAsync(flooder, "alien");
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }
        finally
        {
            foreach (var response in responses) response.Dispose();
        }
    }

    [Fact]
    public async Task Limits_are_per_route_so_a_client_limited_on_search_can_still_poll_and_check_health()
    {
        const string client = "198.18.0.3";
        for (var i = 0; i < LocalGatewayFixture.SearchBurst + 5; i++) (await SearchAsync(client, "toy story")).Dispose();
        using (var limited = await SearchAsync(client, "toy story"))
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);

        Assert.Equal("Healthy", await gateway.HealthAsync(client));
        using var job = await gateway.Client.SendAsync(LocalGatewayFixture.From(client, new HttpRequestMessage(HttpMethod.Get, "/api/v1/jobs/not-a-known-job")));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, job.StatusCode);
    }

    [Fact]
    public async Task A_forged_X_Forwarded_For_entry_before_the_trusted_one_does_not_make_a_new_client()
    {
        // The front end appends the real address last; whatever the caller wrote before it is ignored.
        for (var i = 0; i < LocalGatewayFixture.SearchBurst + 5; i++)
            (await SearchAsync($"10.0.0.{i}, 198.18.0.4", "alien")).Dispose();
        using var forged = await SearchAsync("10.9.9.9, 198.18.0.4", "alien");
        Assert.Equal(HttpStatusCode.TooManyRequests, forged.StatusCode);
    }
}
