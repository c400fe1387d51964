using MediaGateway.Storage;
using MediaGateway.Functions;
using MediaGateway.GpuRunner;
using MediaGateway.LocalHost;

// The embedded default: `dotnet run --project functions/MediaGateway.LocalHost` (see README).
//   --storage inprocess (default)  queue and stores in this process, nothing else to run
//   --storage azurite              Azure Storage via Azurite on its default ports (scripts/run-local.sh starts it)
var builder = WebApplication.CreateBuilder(args);
var storage = builder.Configuration["storage"]?.ToLowerInvariant() ?? "inprocess";
var defaults = new Dictionary<string, string?>
{
    ["urls"] = "http://localhost:7071",
    [StorageRegistration.ModeKey] = storage == "azurite" ? nameof(StorageMode.Azure) : nameof(StorageMode.InProcess),
    ["MediaGateway:Runner:HeartbeatInterval"] = "00:00:05",
};
if (storage == "azurite") defaults[StorageRegistration.ConnectionName] = "UseDevelopmentStorage=true";
else if (storage != "inprocess") throw new ArgumentException($"--storage must be 'inprocess' or 'azurite', not '{storage}'.");
// Defaults go first so that appsettings, environment and command line all override them.
builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = defaults });
builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });

builder.Services.AddGateway(builder.Configuration);
builder.Services.AddGpuRunner(builder.Configuration);
builder.Services.AddHostedService<ReadyBanner>();

var app = builder.Build();
app.UseProblemResponses();
app.MapFunctions(typeof(GatewayRegistration).Assembly);
app.MapRunnerProbes();
app.Run();

/// <summary>Tells the person at the terminal when searches will be answered, and how to try one.</summary>
internal sealed class ReadyBanner(EngineHost engine, IConfiguration configuration, ILogger<ReadyBanner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await engine.WhenReady(stoppingToken);
        var url = (configuration["urls"] ?? "http://localhost:7071").Split(';')[0];
        logger.LogInformation("MediaGateway is ready at {Url}. Try: curl -s {Url}/api/v1/search -H 'Content-Type: application/json' -d '{{\"query\":\"star wars\",\"limit\":3}}'", url, url);
    }
}
