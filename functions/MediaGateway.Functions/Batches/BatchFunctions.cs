using MediaGateway.Contracts.Batches;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace MediaGateway.Functions.Batches;

/// <summary>
/// <c>POST /api/v1/search/batch</c>, <c>GET /api/v1/batches/{id}</c> and <c>GET /api/v1/batches/{id}/results</c>.
/// A batch can start a thousand searches, so every batch route needs a function key (the rule for routes that
/// start heavy work), and each has its own per-client rate limit.
/// </summary>
public sealed class BatchFunctions(BatchGateway batches)
{
    private const string RetryAfterSeconds = "2";

    [Function("SearchBatch")]
    public async Task<IActionResult> Start(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/search/batch")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (QueryParameters.Refuse(request, QueryParameters.FunctionKey) is { } refused) return refused;
        var (body, problem) = await RequestReader.ReadJsonAsync<BatchSearchRequest>(request, BatchLimits.MaxBodyBytes, cancellationToken);
        if (problem is not null) return problem;

        var errors = BatchSearchRequestValidator.Validate(body);
        if (errors.Count > 0) return Problems.Validation(errors.Select(e => new FieldError(e.Field, e.Message)), request.Path);

        var batch = await batches.StartAsync(body!, cancellationToken);
        return JsonBodyResult.Accepted(BatchView.Of(batch), BatchPath(batch.BatchId), RetryAfterSeconds);
    }

    [Function("GetBatch")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/batches/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        if (QueryParameters.Refuse(request, QueryParameters.FunctionKey) is { } refused) return refused;
        if (!JobIds.IsValid(id)) return BadId(request);
        if (await batches.GetAsync(id, cancellationToken) is not { } batch) return NotFound(id, request);

        var view = new JsonBodyResult(StatusCodes.Status200OK, BatchView.Of(batch));
        if (!batch.Status.IsFinished()) view.Headers["Retry-After"] = RetryAfterSeconds;
        return view;
    }

    [Function("GetBatchResults")]
    public async Task<IActionResult> Results(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/batches/{id}/results")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        if (QueryParameters.Refuse(request, QueryParameters.FunctionKey) is { } refused) return refused;
        if (!JobIds.IsValid(id)) return BadId(request);
        if (await batches.GetAsync(id, cancellationToken) is not { } batch) return NotFound(id, request);
        if (batch.Status != JobStatus.Succeeded)
        {
            var notYet = Problems.Create(StatusCodes.Status409Conflict, "The batch has no results.",
                batch.Status == JobStatus.Failed ? $"The batch failed: {batch.Error}" : $"The batch is {batch.Status.ToString().ToLowerInvariant()} ({batch.Done} of {batch.Total} done); poll {BatchPath(id)}.",
                [new FieldError("id", batch.Status == JobStatus.Failed ? "this batch failed; it has no results." : "this batch has not finished; it has no results yet.")], request.Path);
            if (!batch.Status.IsFinished()) notYet.Headers["Retry-After"] = RetryAfterSeconds;
            return notYet;
        }
        return await batches.OpenResultsAsync(id, cancellationToken) is { } results
            ? new StreamBodyResult(results, "application/x-ndjson; charset=utf-8")
            : NotFound(id, request);
    }

    public static string BatchPath(string batchId) => $"/api/v1/batches/{batchId}";

    public static string ResultsPath(string batchId) => $"{BatchPath(batchId)}/results";

    private static JsonBodyResult BadId(HttpRequest request) =>
        Problems.Validation([new FieldError("id", $"must be a batch id as returned by POST /api/v1/search/batch ({JobIds.Rule}).")], request.Path);

    private static JsonBodyResult NotFound(string id, HttpRequest request) =>
        Problems.Create(StatusCodes.Status404NotFound, "No such batch.", $"No batch has id '{id}' (or it has expired).", [new FieldError("id", "no batch has this id (or it has expired).")], request.Path);
}
