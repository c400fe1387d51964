using MediaGateway.Contracts.Search;
using MediaGateway.Functions.Search;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace MediaGateway.Functions.Http;

/// <summary>
/// The discovery endpoints: one item's facts, items similar to it, recommendations from liked/disliked items
/// and preferred concepts, and concepts by label. Each request is validated here, then carried as a
/// <see cref="SearchRequest"/> with a <c>discovery</c> part through the search's path (cache, one job per
/// identical request, the queue, the runner, which holds the catalog and the ontology). An id or concept the
/// catalog lacks is a 404 naming the field; a slow answer is a 202 whose Location is the same URL to ask again (GET
/// routes; a recommendation's is its job, as for search).
/// </summary>
public sealed class DiscoveryFunctions(SearchGateway gateway)
{
    [Function("GetMedia")]
    public async Task<IActionResult> GetMedia(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/media/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        if (QueryParameters.Refuse(request) is { } refused) return refused;
        var errors = new List<ValidationError>();
        SearchRequestValidator.ValidateItemId(errors, "id", id);
        if (errors.Count > 0) return Invalid(errors, request);
        var search = new SearchRequest { Limit = 1, Discovery = new DiscoveryRequest { Kind = DiscoveryKinds.Item, ItemId = id } };
        return await AnswerAsync(search, request, r => r.Item!, cancellationToken);
    }

    [Function("SimilarMedia")]
    public async Task<IActionResult> SimilarMedia(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/media/{id}/similar")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        if (QueryParameters.Refuse(request, "limit") is { } refused) return refused;
        var errors = new List<ValidationError>();
        SearchRequestValidator.ValidateItemId(errors, "id", id);
        var limit = QueryParameters.Limit(request, errors);
        if (errors.Count > 0) return Invalid(errors, request);
        var search = new SearchRequest { Limit = limit, Discovery = new DiscoveryRequest { Kind = DiscoveryKinds.Similar, ItemId = id } };
        return await AnswerAsync(search, request, r => r, cancellationToken);
    }

    [Function("Recommendations")]
    public async Task<IActionResult> Recommendations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/recommendations")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (QueryParameters.Refuse(request) is { } refused) return refused;
        var (body, problem) = await RequestReader.ReadJsonAsync<RecommendationRequest>(request, SearchLimits.MaxBodyBytes, cancellationToken);
        if (problem is not null) return problem;
        var search = body!.ToSearchRequest();
        var errors = new List<ValidationError>();
        SearchRequestValidator.ValidateDiscovery(errors, search.Discovery!, "");
        if (body.Limit is { } limit && (limit < 1 || limit > SearchLimits.MaxLimit))
            errors.Add(new("limit", $"must be between 1 and {SearchLimits.MaxLimit}."));
        if (errors.Count > 0) return Invalid(errors, request);
        return await AnswerAsync(search, request, r => r, cancellationToken);
    }

    [Function("Concepts")]
    public async Task<IActionResult> Concepts(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/concepts")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (QueryParameters.Refuse(request, "q", "limit") is { } refused) return refused;
        var errors = new List<ValidationError>();
        var q = request.Query["q"].FirstOrDefault();
        SearchRequestValidator.ValidateConceptQuery(errors, "q", q);
        var limit = QueryParameters.Limit(request, errors);
        if (errors.Count > 0) return Invalid(errors, request);
        var search = new SearchRequest { Query = q, Limit = limit, Discovery = new DiscoveryRequest { Kind = DiscoveryKinds.Concepts } };
        return await AnswerAsync(search, request,
            r => new ConceptSearchResponse { Query = r.Query, Total = r.Candidates, Concepts = r.Concepts ?? [], Cached = r.Cached }, cancellationToken);
    }

    private async Task<IActionResult> AnswerAsync(SearchRequest search, HttpRequest request, Func<SearchResponse, object> view, CancellationToken cancellationToken) =>
        await gateway.SearchAsync(search, cancellationToken) switch
        {
            SearchOutcome.Completed { Response.Unknown: { Count: > 0 } unknown } => Problems.Unknown([.. unknown.SelectMany(u => u.AsSentIn(search))], request.Path),
            SearchOutcome.Completed done => new JsonBodyResult(StatusCodes.Status200OK, view(done.Response)),
            SearchOutcome.Failed failed => Problems.Create(StatusCodes.Status502BadGateway, "The request failed.", failed.Error, instance: SearchFunctions.JobPath(failed.JobId)),
            // A GET is asked again at its own URL (the same request follows the job in flight), so its answer keeps the
            // route's shape and its 404; a recommendation, a POST, is followed at the job.
            SearchOutcome.Pending pending => SearchFunctions.Accepted(pending.JobId, Contracts.Jobs.JobStatus.Queued,
                HttpMethods.IsGet(request.Method) ? request.Path + request.QueryString : null),
            var other => throw new InvalidOperationException($"Unexpected outcome {other}"),
        };

    private static JsonBodyResult Invalid(IEnumerable<ValidationError> errors, HttpRequest request) =>
        Problems.Validation(errors.Select(e => new FieldError(e.Field, e.Message)), request.Path);
}
