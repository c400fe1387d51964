using MediaGateway.Storage;
using MediaGateway.Functions;
using MediaGateway.GpuRunner;

namespace MediaGateway.LocalHost;

/// <summary>
/// The embedded default: the gateway's function classes and the gpu-runner in one web application. Program.cs
/// runs it; tests start it on a free loopback port.
///   --storage inprocess (default)  queue and stores in this process, nothing else to run
///   --storage azurite              Azure Storage via Azurite on its default ports (scripts/run-local.sh starts it)
///   --role all (default) | gateway | runner   one half only, as a separate process on shared storage (LocalRole)
/// </summary>
public static class LocalGateway
{
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var storage = builder.Configuration["storage"]?.ToLowerInvariant() ?? "inprocess";
        var defaults = new Dictionary<string, string?>
        {
            ["urls"] = "http://localhost:7071",
            [StorageRegistration.ModeKey] = storage == "azurite" ? nameof(StorageMode.Azure) : nameof(StorageMode.InProcess),
            ["MediaGateway:Runner:HeartbeatInterval"] = "00:00:05",
        };
        var role = LocalRoles.Parse(builder.Configuration[LocalRoles.ConfigurationKey]);
        if (role != LocalRole.All && storage != "azurite")
            throw new LocalHostUsageException($"--role {role.ToString().ToLowerInvariant()} needs --storage azurite: the in-process queue and stores cannot be shared between processes.");
        if (storage == "azurite") defaults[StorageRegistration.ConnectionName] = "UseDevelopmentStorage=true";
        else if (storage != "inprocess") throw new LocalHostUsageException($"--storage must be 'inprocess' or 'azurite', not '{storage}'.");
        // Defaults go first so that appsettings, environment and command line all override them.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = defaults });
        if (overrides is not null) builder.Configuration.AddInMemoryCollection(overrides);
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });

        if (role.RunsGateway()) builder.Services.AddGateway(builder.Configuration);
        if (role.RunsRunner()) builder.Services.AddGpuRunner(builder.Configuration);
        // Traces and metrics of the gateway, the runner and the engine; MediaGateway:Telemetry:Console=true prints them.
        MediaGateway.Telemetry.TelemetryRegistration.AddMediaGatewayTelemetry(builder.Services, builder.Configuration, "mediagateway-local");
        builder.Services.AddSingleton<LocalFunctionKey>();
        builder.Services.AddHostedService<ReadyBanner>();
        // The queue-triggered functions are the Functions app's (batches), so only a process that hosts the gateway reads
        // their queues: a runner alone would take their messages, fail them for want of the function, and poison them.
        if (role.RunsGateway())
        {
            builder.Services.Configure<QueueTriggerOptions>(builder.Configuration.GetSection(QueueTriggerOptions.Section));
            builder.Services.AddHostedService<QueueTriggerPump>();
        }

        var app = builder.Build();
        app.UseProblemResponses();
        if (role.RunsGateway()) app.MapFunctions(typeof(GatewayRegistration).Assembly);
        if (role.RunsRunner()) app.MapRunnerProbes();
        else
        {
            // A gateway alone is ready at once: it has no engine to wait for (its health reports the runner).
            app.MapGet("/healthz", () => Results.Json(new { status = "alive", role = "gateway" }));
            app.MapGet("/readyz", () => Results.Json(new { status = "ready", role = "gateway" }));
        }
        return app;
    }
}
