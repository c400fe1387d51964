namespace MediaGateway.Telemetry;

/// <summary>
/// Where traces and metrics go (<c>MediaGateway:Telemetry</c>). Nothing is exported unless asked: the console when
/// <see cref="Console"/> is true (off by default so that tests and the local log stay readable), Application Insights
/// whenever <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (as the Bicep does for both apps in Azure).
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "MediaGateway:Telemetry";
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    /// <summary>"Authorization=AAD;ClientId=&lt;id&gt;": sign in to Application Insights as that managed identity (the Functions host reads the same setting).</summary>
    public const string AuthenticationStringSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>Write every span and, every <see cref="ConsoleMetricInterval"/>, every metric to standard output.</summary>
    public bool Console { get; set; }

    public TimeSpan ConsoleMetricInterval { get; set; } = TimeSpan.FromSeconds(30);
}
