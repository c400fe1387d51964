using MediaGateway.Functions.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Moq;

namespace MediaGateway.Tests.Security;

/// <summary>The Functions worker's path: the middleware answers 429 itself and never runs the function.</summary>
public sealed class RateLimitMiddlewareTests
{
    private static (FunctionContext Context, DefaultHttpContext Http) Invocation(string function, string client)
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = System.Net.IPAddress.Parse(client);
        http.Request.Path = "/api/v1/search";
        http.Response.Body = new MemoryStream();
        var definition = new Mock<FunctionDefinition>();
        definition.SetupGet(d => d.Name).Returns(function);
        var context = new Mock<FunctionContext>();
        context.SetupGet(c => c.FunctionDefinition).Returns(definition.Object);
        // Where the ASP.NET Core integration keeps the request's HttpContext (what GetHttpContext() reads).
        context.SetupGet(c => c.Items).Returns(new Dictionary<object, object> { ["HttpRequestContext"] = http });
        return (context.Object, http);
    }

    [Fact]
    public async Task Over_its_burst_a_client_gets_429_and_the_function_does_not_run()
    {
        var options = new RateLimitOptions();
        options.Routes["Search"] = new RouteRateLimit { Burst = 3, PerMinute = 1 };
        using var limiter = new ClientRateLimiter(Options.Create(options));
        var middleware = new RateLimitMiddleware(limiter);
        var ran = 0;

        var statuses = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            var (context, http) = Invocation("Search", "192.0.2.10");
            await middleware.Invoke(context, _ => { ran++; return Task.CompletedTask; });
            statuses.Add(http.Response.StatusCode);
            if (i == 4)
            {
                Assert.Equal("application/problem+json; charset=utf-8", http.Response.ContentType);
                Assert.Equal("60", http.Response.Headers.RetryAfter.ToString());
            }
        }

        Assert.Equal([200, 200, 200, 429, 429], statuses);
        Assert.Equal(3, ran);

        // Another client, and another function for the same client, are not affected.
        var (other, otherHttp) = Invocation("Search", "192.0.2.11");
        await middleware.Invoke(other, _ => { ran++; return Task.CompletedTask; });
        var (health, healthHttp) = Invocation("Health", "192.0.2.10");
        await middleware.Invoke(health, _ => { ran++; return Task.CompletedTask; });
        Assert.Equal((200, 200, 5), (otherHttp.Response.StatusCode, healthHttp.Response.StatusCode, ran));
    }

    [Fact]
    public void A_limit_below_one_is_a_configuration_error()
    {
        var options = new RateLimitOptions();
        options.Routes["Search"] = new RouteRateLimit { Burst = 0, PerMinute = 60 };
        Assert.Throws<OptionsValidationException>(() => new ClientRateLimiter(Options.Create(options)));
    }
}
