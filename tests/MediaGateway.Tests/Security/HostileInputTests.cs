using System.Net;
using System.Text.Json;

namespace MediaGateway.Tests.Security;

/// <summary>
/// Each hostile input against the running local gateway: the exact status, problem+json with nosniff for every
/// body the gateway writes, no echo of the attack, and nothing else broken afterwards: health stays green and a
/// normal search from another caller still works.
/// </summary>
[Collection(LocalGatewayCollection.Name)]
public sealed class HostileInputTests(LocalGatewayFixture gateway)
{
    public static TheoryData<string> Names => new(HostileRequests.All.Select(r => r.Name));

    [Fact]
    public void The_suite_has_at_least_a_hundred_distinct_hostile_inputs()
    {
        Assert.True(HostileRequests.All.Count >= 100, $"only {HostileRequests.All.Count}");
        Assert.Equal(HostileRequests.All.Count, HostileRequests.All.Select(r => r.Name).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Hostile_input_gets_its_exact_status_and_breaks_nothing(string name)
    {
        var hostile = HostileRequests.All.Single(r => r.Name == name);
        // Each input, and each check after it, is its own client, so the rate limiter hides nothing here.
        var n = HostileRequests.All.ToList().IndexOf(hostile) % 250 + 1;
        var client = $"198.51.100.{n}";

        using var response = await gateway.Client.SendAsync(LocalGatewayFixture.From(client, hostile.ToMessage()));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(hostile.ExpectedStatus, (int)response.StatusCode);
        if (body.Length > 0)
        {
            Assert.Equal("nosniff", response.Headers.TryGetValues("X-Content-Type-Options", out var values) ? values.Single() : null);
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            Assert.Equal(hostile.ExpectedStatus >= 400 ? "application/problem+json" : "application/json", mediaType);
        }
        if (hostile.ExpectedStatus >= 400 && body.Length > 0)
        {
            // Every problem has the same shape: an errors list, empty when no one field is to blame.
            using var problem = JsonDocument.Parse(body);
            Assert.Equal(JsonValueKind.Array, problem.RootElement.GetProperty("errors").ValueKind);
            if (hostile.Field is { } field)
                Assert.Contains(field, problem.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()));
        }
        if (hostile.MustSay is { } words) Assert.Contains(words, body, StringComparison.Ordinal);
        if (hostile.MustNotEcho is { } echo)
        {
            Assert.DoesNotContain(echo, body, StringComparison.OrdinalIgnoreCase);
            if (body.Length > 0) Assert.DoesNotContain(echo, DecodedText(body), StringComparison.OrdinalIgnoreCase);
        }
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);

        Assert.Equal("Healthy", await gateway.HealthAsync($"203.0.113.{n}"));
        var (status, title) = await gateway.NormalSearchAsync($"192.0.2.{n}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("Star Wars", title);
    }

    /// <summary>Every property name and string value of a JSON body, decoded: what a client would display.</summary>
    private static string DecodedText(string json)
    {
        var text = new System.Text.StringBuilder();
        void Walk(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var p in e.EnumerateObject()) { text.Append(p.Name).Append('\n'); Walk(p.Value); }
                    break;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray()) Walk(item);
                    break;
                case JsonValueKind.String:
                    text.Append(e.GetString()).Append('\n');
                    break;
            }
        }
        using var document = JsonDocument.Parse(json);
        Walk(document.RootElement);
        return text.ToString();
    }
}
