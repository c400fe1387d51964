using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MediaGateway.Telemetry;

public static class TelemetryRegistration
{
    /// <summary>
    /// Traces and metrics of every <c>MediaGateway.*</c> source and meter, of ASP.NET Core (incoming requests, with their
    /// <c>traceparent</c>) and of outgoing HTTP calls, exported as <see cref="TelemetryOptions"/> says. With no
    /// exporter configured nothing is registered, so the sources have no listener and cost nothing.
    /// Returns the builder (null when nothing is exported) so a host can add its own defaults, as the Functions worker does.
    /// </summary>
    public static IOpenTelemetryBuilder? AddMediaGatewayTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        var options = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var connectionString = configuration[TelemetryOptions.ConnectionStringSetting];
        var toAzure = !string.IsNullOrWhiteSpace(connectionString);
        services.AddMetrics();
        if (!options.Console && !toAzure) return null;

        var credential = toAzure ? CredentialFor(configuration[TelemetryOptions.AuthenticationStringSetting]) : null;
        var builder = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceNamespace: "MediaGateway", serviceInstanceId: Environment.MachineName))
            .WithTracing(tracing =>
            {
                tracing.AddSource(TelemetryNames.All).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (options.Console) tracing.AddConsoleExporter();
                if (toAzure) tracing.AddAzureMonitorTraceExporter(o => Configure(o, connectionString!, credential));
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(TelemetryNames.All).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (options.Console)
                    metrics.AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)options.ConsoleMetricInterval.TotalMilliseconds);
                if (toAzure) metrics.AddAzureMonitorMetricExporter(o => Configure(o, connectionString!, credential));
            });
        return builder;
    }

    private static void Configure(AzureMonitorExporterOptions exporter, string connectionString, TokenCredential? credential)
    {
        exporter.ConnectionString = connectionString;
        if (credential is not null) exporter.Credential = credential;
    }

    /// <summary>
    /// The managed identity named by an authentication string ("Authorization=AAD;ClientId=…"), the format the Functions
    /// host reads, so one setting serves the host and this exporter. No key or secret is ever read: without
    /// "Authorization=AAD" the exporter sends with the connection string alone (which local auth may refuse).
    /// </summary>
    internal static TokenCredential? CredentialFor(string? authenticationString)
    {
        if (string.IsNullOrWhiteSpace(authenticationString)) return null;
        var parts = authenticationString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2, StringSplitOptions.TrimEntries))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Authorization", out var kind) || !kind.Equals("AAD", StringComparison.OrdinalIgnoreCase)) return null;
        return parts.TryGetValue("ClientId", out var clientId) && clientId.Length > 0
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
    }
}
