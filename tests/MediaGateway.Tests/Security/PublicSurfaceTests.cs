using System.Net;
using System.Text.Json;

namespace MediaGateway.Tests.Security;

/// <summary>What anonymous callers can learn from the gateway, and what needs the function key.</summary>
[Collection(LocalGatewayCollection.Name)]
public sealed class PublicSurfaceTests(LocalGatewayFixture gateway)
{
    private async Task<(HttpResponseMessage Response, string Body)> GetAsync(string client, string path, string? key = null)
    {
        var request = LocalGatewayFixture.From(client, new HttpRequestMessage(HttpMethod.Get, path));
        if (key is not null) request.Headers.Add("x-functions-key", key);
        var response = await gateway.Client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Anonymous_health_gives_each_dependency_s_state_and_nothing_about_the_machine()
    {
        var (response, body) = await GetAsync("198.18.1.1", "/api/v1/health");
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var json = JsonDocument.Parse(body);
            Assert.Equal(["status", "checks"], json.RootElement.EnumerateObject().Select(p => p.Name));
            var checks = json.RootElement.GetProperty("checks").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
            Assert.Equal(["gpuRunner", "queue"], checks.Keys.Order());
            Assert.All(checks.Values, state => Assert.Contains(state, new[] { "Healthy", "Degraded", "Unhealthy" }));

            foreach (var secret in new[]
            {
                Environment.MachineName, Environment.ProcessId.ToString(), System.Runtime.InteropServices.RuntimeInformation.OSDescription,
                System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription, "MiniLM", "onnx", "cpu", "instance", "version",
            })
                Assert.DoesNotContain(secret, body, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData("header")]
    [InlineData("query")]
    public async Task The_detailed_report_is_served_with_the_function_key(string how)
    {
        var (response, body) = how == "header"
            ? await GetAsync("198.18.1.2", "/api/v1/health/details", LocalGatewayFixture.FunctionKey)
            : await GetAsync("198.18.1.3", $"/api/v1/health/details?code={LocalGatewayFixture.FunctionKey}");
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var json = JsonDocument.Parse(body);
            Assert.Equal("cpu", json.RootElement.GetProperty("checks").GetProperty("gpuRunner").GetProperty("data").GetProperty("backend").GetString());
            Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("gateway").GetProperty("runtime").GetString()));
            Assert.Equal(how == "header" ? "198.18.1.2" : "198.18.1.3", json.RootElement.GetProperty("rateLimitedAs").GetString());
        }
    }

    [Fact]
    public async Task Without_the_key_the_detailed_report_is_a_401_problem_that_reveals_nothing()
    {
        var (response, body) = await GetAsync("198.18.1.4", "/api/v1/health/details");
        using (response)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            // RFC 9110 §15.5.2: a 401 says how to authenticate.
            var challenge = Assert.Single(response.Headers.WwwAuthenticate);
            Assert.Equal("FunctionKey", challenge.Scheme);
            Assert.Contains("x-functions-key", challenge.Parameter);
            Assert.DoesNotContain("backend", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(LocalGatewayFixture.FunctionKey, body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Every_gateway_response_says_nosniff()
    {
        foreach (var path in new[] { "/api/v1/health", "/api/v1/jobs/unknown-job", "/no/such/route" })
        {
            var (response, _) = await GetAsync("198.18.1.5", path);
            using (response)
                Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }
    }
}
