using MediaGateway.Contracts.Jobs;
using MediaGateway.Contracts.Search;
using MediaGateway.Functions.Search;
using MediaGateway.Functions.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace MediaGateway.Functions.Http;

/// <summary>
/// <c>POST /api/v1/search</c> and <c>GET /api/v1/jobs/{id}</c>: validate, answer from cache, or dispatch
/// to the gpu-runner and follow the async request-reply pattern (202 + Location + Retry-After).
/// </summary>
public sealed class SearchFunctions(SearchGateway gateway, GatewayMetrics? metrics = null)
{
    private const string RetryAfterSeconds = "1";

    [Function("Search")]
    public async Task<IActionResult> Search(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/search")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var outcome = "error";
        try
        {
            outcome = "invalid";
            if (QueryParameters.Refuse(request) is { } refused) return refused;
            var (body, problem) = await RequestReader.ReadJsonAsync<SearchRequest>(request, SearchLimits.MaxBodyBytes, cancellationToken);
            if (problem is not null) return problem;

            // The discovery part is the discovery endpoints' to set (their own routes, limits and 404s), not a search's.
            if (body!.Discovery is not null)
                return Problems.Validation([new FieldError("discovery", "is not a search field; use /api/v1/media, /recommendations or /concepts.")], request.Path);
            var errors = SearchRequestValidator.Validate(body);
            if (errors.Count > 0) return Problems.Validation(errors.Select(e => new FieldError(e.Field, e.Message)), request.Path);

            outcome = "error";
            var result = await gateway.SearchAsync(body!, cancellationToken);
            outcome = result switch
            {
                SearchOutcome.Completed { Response.Unknown.Count: > 0 } => "invalid",
                SearchOutcome.Completed { Response.Cached: true } => "cached",
                SearchOutcome.Completed => "completed",
                SearchOutcome.Failed => "failed",
                _ => "pending",
            };
            return result switch
            {
                // A filter value no catalog item has ("Horor"): only the runner knows the catalog's values.
                SearchOutcome.Completed { Response.Unknown: { Count: > 0 } unknown } => Problems.Unknown([.. unknown.SelectMany(u => u.AsSentIn(body))], request.Path),
                SearchOutcome.Completed done => new JsonBodyResult(StatusCodes.Status200OK, done.Response),
                SearchOutcome.Failed failed => Problems.Create(StatusCodes.Status502BadGateway, "The search failed.", failed.Error, instance: JobPath(failed.JobId)),
                SearchOutcome.Pending pending => Accepted(pending.JobId, JobStatus.Queued),
                var other => throw new InvalidOperationException($"Unexpected outcome {other}"),
            };
        }
        finally
        {
            metrics?.RecordSearch(System.Diagnostics.Stopwatch.GetElapsedTime(started), outcome);
        }
    }

    [Function("GetJob")]
    public async Task<IActionResult> GetJob(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/jobs/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        if (QueryParameters.Refuse(request) is { } refused) return refused;
        if (!JobIds.IsValid(id))
            return Problems.Validation([new FieldError("id", $"must be a job id as returned by POST /api/v1/search ({JobIds.Rule}).")], request.Path);

        var (job, result) = await gateway.GetJobAsync(id, cancellationToken);
        if (job is null)
            return Problems.Create(StatusCodes.Status404NotFound, "No such job.", $"No search job has id '{id}' (or it has expired).", [new FieldError("id", "no search job has this id (or it has expired).")], request.Path);

        var view = new JobView { JobId = id, Status = job.Status, Error = job.Error, CreatedAt = job.CreatedAt, UpdatedAt = job.UpdatedAt, Result = result };
        // An answer naming what the catalog lacks (an item, a concept, a filter value) is the request's failure, as the
        // route itself says with a 404 or 400: polled, it reads as failed with the same words, not as an empty success.
        if (result?.Unknown is { Count: > 0 } unknown)
            view = view with { Status = JobStatus.Failed, Error = UnknownReference.DescribeAll(unknown), Result = null };
        var response = new JsonBodyResult(StatusCodes.Status200OK, view);
        if (job.Status is JobStatus.Queued or JobStatus.Running) response.Headers["Retry-After"] = RetryAfterSeconds;
        return response;
    }

    /// <param name="location">Where to ask again: the job (default), or for a GET route the request itself, which then
    /// follows the same job and answers in the route's own shape.</param>
    internal static JsonBodyResult Accepted(string jobId, JobStatus status, string? location = null) =>
        JsonBodyResult.Accepted(new JobView { JobId = jobId, Status = status }, location ?? JobPath(jobId), RetryAfterSeconds);

    internal static string JobPath(string jobId) => $"/api/v1/jobs/{jobId}";
}
