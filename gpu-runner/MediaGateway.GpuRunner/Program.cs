using MediaGateway.GpuRunner;

// The gpu-runner: a long-running worker (a GPU container app in Azure). It listens only for probes;
// its real input is the search-jobs queue.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.AddFilter("Azure", LogLevel.Warning).AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Services.AddGpuRunner(builder.Configuration);
// Traces and metrics: to Application Insights when APPLICATIONINSIGHTS_CONNECTION_STRING is set (docs/architecture.md).
MediaGateway.Telemetry.TelemetryRegistration.AddMediaGatewayTelemetry(builder.Services, builder.Configuration, "mediagateway-gpu-runner");
var app = builder.Build();
app.MapRunnerProbes();
app.Run();
