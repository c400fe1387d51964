using MediaGateway.Functions;
using MediaGateway.Functions.Http;
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
builder.Build().Run();
