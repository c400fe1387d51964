using System.Net;
using MediaGateway.Functions.Security;
using Microsoft.AspNetCore.Http;

namespace MediaGateway.Tests.Security;

/// <summary>Who the rate limiter thinks a request comes from.</summary>
public sealed class ClientAddressTests
{
    private static HttpRequest Request(string remote, string? forwardedFor = null)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        if (forwardedFor is not null) context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        return context.Request;
    }

    [Fact]
    public void Without_trusted_proxies_X_Forwarded_For_is_ignored()
    {
        Assert.Equal("203.0.113.9", ClientAddress.Of(Request("203.0.113.9", "1.2.3.4"), forwardedForHops: 0));
    }

    [Theory]
    [InlineData("198.51.100.7", "198.51.100.7")]
    [InlineData("1.2.3.4, 198.51.100.7", "198.51.100.7")]
    [InlineData("1.2.3.4,5.6.7.8 , 198.51.100.7:51234", "198.51.100.7")]
    [InlineData("[2001:db8:1:2:3:4:5:6]:443", "2001:db8:1:2::/64")]
    public void With_one_trusted_proxy_the_last_entry_counts(string forwardedFor, string expected)
    {
        Assert.Equal(expected, ClientAddress.Of(Request("10.0.0.1", forwardedFor), forwardedForHops: 1));
    }

    [Theory]
    [InlineData("not an address")]
    [InlineData("")]
    public void An_unreadable_X_Forwarded_For_falls_back_to_the_connection(string forwardedFor)
    {
        Assert.Equal("10.0.0.1", ClientAddress.Of(Request("10.0.0.1", forwardedFor), forwardedForHops: 1));
    }

    [Fact]
    public void IPv6_clients_count_by_their_64_bit_network()
    {
        Assert.Equal(ClientAddress.Of(Request("2001:db8:aa:bb:1::1"), 0), ClientAddress.Of(Request("2001:db8:aa:bb:ffff::2"), 0));
        Assert.NotEqual(ClientAddress.Of(Request("2001:db8:aa:bb::1"), 0), ClientAddress.Of(Request("2001:db8:aa:bc::1"), 0));
    }

    [Fact]
    public void IPv4_mapped_IPv6_is_the_IPv4_address()
    {
        Assert.Equal("192.0.2.5", ClientAddress.Of(Request("::ffff:192.0.2.5"), 0));
    }
}
