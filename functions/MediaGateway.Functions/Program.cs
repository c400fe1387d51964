using MediaGateway.Functions;
using MediaGateway.Functions.Http;
using MediaGateway.Telemetry;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// The Azure Functions isolated worker. The function classes hold no logic of their own beyond HTTP;
// GatewayRegistration wires the services they call.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<ProblemMiddleware>();
// Per-client limits, before any function reads its request (the host has already checked function keys).
builder.UseMiddleware<MediaGateway.Functions.Security.RateLimitMiddleware>();
builder.Services.AddGateway(builder.Configuration);
// Traces and metrics (docs/architecture.md, "Observability"); in Azure they go to Application Insights, and the
// worker's defaults join the Functions host's invocation span to ours.
builder.Services.AddMediaGatewayTelemetry(builder.Configuration, "mediagateway-functions")?.UseFunctionsWorkerDefaults();
builder.Build().Run();
