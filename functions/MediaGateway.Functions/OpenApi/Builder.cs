using System.Globalization;
using System.Net.Http;
using MediaGateway.Contracts.Search;
using Microsoft.OpenApi;

namespace MediaGateway.Functions.OpenApi;

/// <summary>Short ways to say the few things every route of <see cref="ApiDocument"/> says: JSON bodies, problems, Retry-After.</summary>
internal sealed class Builder(OpenApiDocument document)
{
    private const string ProblemType = "application/problem+json";

    public void Add(HttpMethod method, string path, string operationId, string summary, OpenApiRequestBody? body, params KeyValuePair<string, IOpenApiResponse>[] responses)
    {
        if (!document.Paths.TryGetValue(path, out var item)) document.Paths[path] = item = new OpenApiPathItem();
        var operation = new OpenApiOperation
        {
            OperationId = operationId,
            Summary = summary,
            Parameters = PathParameters(path),
            Responses = new OpenApiResponses(),
        };
        operation.RequestBody = body;
        foreach (var (status, response) in responses) operation.Responses[status] = response;
        ((OpenApiPathItem)item).AddOperation(method, operation);
    }

    /// <summary>A JSON request body of the schema, at most <paramref name="maxBytes"/> bytes.</summary>
    public OpenApiRequestBody JsonBody(string schema, int maxBytes) => new()
    {
        Required = true,
        Description = $"JSON in UTF-8 (a leading byte order mark is allowed; a charset other than utf-8 is a 415), {SizeLimit(maxBytes)}. Field names are case-insensitive; a field given twice is a 400.",
        Content = JsonContent("application/json", schema),
    };

    /// <summary>A request body in several forms: each media type with its schema (null: any content of that type).</summary>
    public void Body(string path, HttpMethod method, string description, int maxBytes, params (string MediaType, string? Schema)[] forms)
    {
        var operation = document.Paths[path].Operations![method];
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = $"{description} UTF-8, {SizeLimit(maxBytes)}.",
            Content = forms.ToDictionary(f => f.MediaType, f => (IOpenApiMediaType)new OpenApiMediaType { Schema = f.Schema is null ? null : new OpenApiSchemaReference(f.Schema, document) }),
        };
    }

    /// <summary>The route's query parameters, after its path parameters.</summary>
    public void Query(string path, HttpMethod method, params OpenApiParameter[] parameters)
    {
        var operation = document.Paths[path].Operations![method];
        foreach (var parameter in parameters)
        {
            parameter.In = ParameterLocation.Query;
            operation.Parameters!.Add(parameter);
        }
    }

    /// <summary><c>limit</c>: how many results, 1–100 (default 10), given at most once.</summary>
    public static OpenApiParameter Limit() => new()
    {
        Name = "limit", Description = $"How many results, 1–{SearchLimits.MaxLimit} (default {SearchLimits.DefaultLimit}).",
        Schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Integer, Minimum = "1", Maximum = SearchLimits.MaxLimit.ToString(CultureInfo.InvariantCulture),
            Default = System.Text.Json.Nodes.JsonValue.Create(SearchLimits.DefaultLimit),
        },
    };

    /// <summary>The route needs a function key.</summary>
    public void Secure(string path, HttpMethod method)
    {
        var operation = document.Paths[path].Operations![method];
        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("functionKey", document)] = [] }];
    }

    public KeyValuePair<string, IOpenApiResponse> Ok(string schema, string description, bool retryAfter = false) => Json(200, schema, description, retryAfter);

    public KeyValuePair<string, IOpenApiResponse> Json(int status, string schema, string description, bool retryAfter = false, string? retryAfterDescription = null) =>
        new(status.ToString(), new OpenApiResponse
        {
            Description = description,
            Content = JsonContent("application/json", schema),
            Headers = retryAfter ? RetryAfter(retryAfterDescription ?? "While the job is queued or running: seconds until it is worth asking again.") : null,
        });

    public KeyValuePair<string, IOpenApiResponse> Accepted() =>
        Accepted("Not ready within the wait: poll the job at Location after Retry-After seconds.", "/api/v1/jobs/{id} of the job.");

    /// <summary>A GET route's 202: Location is the request's own URL, asked again after Retry-After (the same request follows the job).</summary>
    public KeyValuePair<string, IOpenApiResponse> AcceptedAskAgain() =>
        Accepted("Not ready within the wait: ask the same URL again (Location) after Retry-After seconds; the answer then comes in this route's shape.",
            "This request's own URL.");

    private KeyValuePair<string, IOpenApiResponse> Accepted(string description, string location) =>
        new("202", new OpenApiResponse
        {
            Description = description,
            Content = JsonContent("application/json", "JobView"),
            Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Location"] = new OpenApiHeader { Description = location, Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                ["Retry-After"] = RetryAfterHeader("Seconds until polling is worthwhile."),
            },
        });

    public KeyValuePair<string, IOpenApiResponse> Problem(int status, string description, bool retryAfter = false) =>
        new(status.ToString(), new OpenApiResponse
        {
            Description = description,
            Content = JsonContent(ProblemType, "Problem"),
            Headers = retryAfter ? RetryAfter("Seconds to wait before trying again.") : null,
        });

    public KeyValuePair<string, IOpenApiResponse> BadRequest => Problem(400, "The request is invalid; `errors` names each bad field, list element or query parameter (one the route does not take, or given twice).");

    /// <summary>The machine-readable size limit is in the words: OpenAPI has no keyword for a body's size in bytes.</summary>
    public KeyValuePair<string, IOpenApiResponse> TooLarge(int maxBytes) => Problem(413, $"The body is larger than {maxBytes} bytes.");

    public KeyValuePair<string, IOpenApiResponse> UnsupportedMediaType => Problem(415, "The body is not JSON, or its charset is not utf-8.");

    public KeyValuePair<string, IOpenApiResponse> BadGateway => Problem(502, "The runner failed to answer (the detail says why).");

    /// <summary>The local host's 401, with its challenge; in Azure the Functions host answers 401 itself, with no body.</summary>
    public KeyValuePair<string, IOpenApiResponse> Unauthorized
    {
        get
        {
            var (status, response) = Problem(401, "No or wrong function key. The local host answers this problem with a WWW-Authenticate challenge; in Azure the Functions host answers 401 itself, with an empty body.");
            ((OpenApiResponse)response).Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["WWW-Authenticate"] = new OpenApiHeader { Description = "FunctionKey realm=\"MediaGateway\", header=\"x-functions-key\", query=\"code\" (local host).", Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
            };
            return new(status, response);
        }
    }

    private static string SizeLimit(int maxBytes) => $"at most {maxBytes} bytes (413 beyond)";
    public KeyValuePair<string, IOpenApiResponse> TooManyRequests => Problem(429, "This client has sent too many requests to this route.", retryAfter: true);
    public KeyValuePair<string, IOpenApiResponse> Unavailable => Problem(503, "Storage (queue or result store) is unreachable; try again after Retry-After.", retryAfter: true);

    private Dictionary<string, IOpenApiMediaType> JsonContent(string mediaType, string schema) =>
        new() { [mediaType] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(schema, document) } };

    private static Dictionary<string, IOpenApiHeader> RetryAfter(string description) => new() { ["Retry-After"] = RetryAfterHeader(description) };

    private static OpenApiHeader RetryAfterHeader(string description) =>
        new() { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" } };

    /// <summary>Each {name} of the path, a required string.</summary>
    private static List<IOpenApiParameter> PathParameters(string path) =>
        System.Text.RegularExpressions.Regex.Matches(path, @"\{(\w+)\}")
            .Select(m => (IOpenApiParameter)new OpenApiParameter { Name = m.Groups[1].Value, In = ParameterLocation.Path, Required = true, Schema = new OpenApiSchema { Type = JsonSchemaType.String } })
            .ToList();
}
