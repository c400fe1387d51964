using System.Diagnostics;
using MediaGateway.Telemetry;

namespace MediaGateway.Functions.Telemetry;

/// <summary>The gateway's spans: <c>search</c> (cache, claim, wait) and <c>send</c> (the queue message, whose id travels in it).</summary>
public static class GatewayActivity
{
    public static readonly ActivitySource Source = new(TelemetryNames.Gateway);
}
