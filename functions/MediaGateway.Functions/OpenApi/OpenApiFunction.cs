using MediaGateway.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace MediaGateway.Functions.OpenApi;

/// <summary><c>GET /api/v1/openapi.json</c> (anyone): the OpenAPI 3.1 document of this API (<see cref="ApiDocument"/>).</summary>
public sealed class OpenApiFunction
{
    [Function("OpenApi")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/openapi.json")] HttpRequest request,
        CancellationToken cancellationToken) =>
        Task.FromResult<IActionResult>(QueryParameters.Refuse(request) ?? new JsonBodyResult(StatusCodes.Status200OK, ApiDocument.Json));
}
