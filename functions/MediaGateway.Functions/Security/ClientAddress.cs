using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace MediaGateway.Functions.Security;

/// <summary>Who a request comes from, as far as rate limiting is concerned.</summary>
public static class ClientAddress
{
    /// <summary>
    /// The caller's address: the connection's, or the entry that the trusted proxies appended to
    /// <c>X-Forwarded-For</c>. IPv6 addresses count by their /64 network, because one subscriber usually gets a
    /// whole /64 and could otherwise pick a fresh address per request.
    /// </summary>
    public static string Of(HttpRequest request, int forwardedForHops)
    {
        var address = request.HttpContext.Connection.RemoteIpAddress;
        if (forwardedForHops > 0)
        {
            var entries = request.Headers["X-Forwarded-For"].ToString()
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            address = entries.Length >= forwardedForHops && TryParse(entries[^forwardedForHops], out var forwarded) ? forwarded : address;
        }
        return Key(address);
    }

    private static string Key(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    // "203.0.113.7", "203.0.113.7:51234", "[2001:db8::1]:443" or "2001:db8::1".
    private static bool TryParse(string entry, out IPAddress address) =>
        IPEndPoint.TryParse(entry, out var endpoint) ? (address = endpoint.Address) is not null : IPAddress.TryParse(entry, out address!);
}
