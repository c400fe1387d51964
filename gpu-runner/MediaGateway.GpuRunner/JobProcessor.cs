using System.Text.Json;
using MediaGateway.Contracts;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Pipeline;
using Microsoft.Extensions.Options;

namespace MediaGateway.GpuRunner;

/// <summary>
/// Handles one batch of queue messages: bad messages go to the poison queue with their job marked failed;
/// good ones are searched together, and each message is deleted only after its result is durable.
/// </summary>
public sealed class JobProcessor(IJobQueue queue, IResultStore store, IOptions<RunnerOptions> options, TimeProvider time, ILogger<JobProcessor> logger)
{
    public async Task ProcessAsync(SearchEngine engine, IReadOnlyList<ReceivedMessage> messages, CancellationToken cancellationToken)
    {
        var work = new List<(ReceivedMessage Message, SearchJobMessage Job)>(messages.Count);
        foreach (var message in messages)
        {
            if (!TryRead(message.Body, out var job, out var problem))
            {
                await PoisonAsync(message, job?.JobId ?? JobIdIn(message.Body), $"Malformed job message: {problem}", cancellationToken);
            }
            else if (message.DequeueCount > options.Value.MaxDequeueCount)
            {
                await PoisonAsync(message, job!.JobId, $"Gave up after {message.DequeueCount - 1} failed attempts.", cancellationToken);
            }
            else
            {
                work.Add((message, job!));
            }
        }
        if (work.Count == 0) return;

        var now = time.GetUtcNow();
        foreach (var (_, job) in work)
            await store.PutJobAsync(new JobRecord { JobId = job.JobId, Status = JobStatus.Running, Query = job.Request.Query, CreatedAt = job.EnqueuedAt, UpdatedAt = now }, cancellationToken);

        IReadOnlyList<SearchResponse> responses;
        try
        {
            responses = await engine.SearchAsync(work.Select(w => new EngineQuery(w.Job.JobId, w.Job.Request)).ToArray(), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not deleted: the messages reappear after their lease and are retried, then poisoned.
            logger.LogError(e, "Search failed for a batch of {Count}; the messages will be retried", work.Count);
            foreach (var (message, job) in work)
                await store.PutJobAsync(new JobRecord { JobId = job.JobId, Status = JobStatus.Queued, Query = job.Request.Query, CreatedAt = job.EnqueuedAt, UpdatedAt = time.GetUtcNow(), Error = $"Attempt {message.DequeueCount} failed: {e.Message}" }, cancellationToken);
            return;
        }

        for (var i = 0; i < work.Count; i++)
        {
            var (message, job) = work[i];
            var record = new JobRecord { JobId = job.JobId, Status = JobStatus.Succeeded, Query = job.Request.Query, CreatedAt = job.EnqueuedAt, UpdatedAt = time.GetUtcNow() };
            await store.CompleteJobAsync(record, responses[i], cancellationToken);
            await queue.DeleteAsync(message, cancellationToken);
        }
    }

    /// <summary>Reads and checks a message with the same rules the HTTP function applies to a request.</summary>
    public static bool TryRead(string body, out SearchJobMessage? job, out string? problem)
    {
        job = null;
        try
        {
            job = JsonSerializer.Deserialize<SearchJobMessage>(body, ContractJson.Options);
        }
        catch (JsonException e)
        {
            problem = $"not a valid job document ({e.Message})";
            return false;
        }
        if (job is null)
        {
            problem = "empty message";
            return false;
        }
        if (job.SchemaVersion != SearchJobMessage.CurrentSchemaVersion)
        {
            problem = $"schemaVersion {job.SchemaVersion} is not supported (expected {SearchJobMessage.CurrentSchemaVersion})";
            return false;
        }
        if (!JobIds.IsValid(job.JobId))
        {
            problem = $"jobId must be {JobIds.Rule}";
            job = null;
            return false;
        }
        var errors = SearchRequestValidator.Validate(job.Request);
        if (errors.Count > 0)
        {
            problem = string.Join("; ", errors.Select(e => $"request.{e.Field} {e.Message}"));
            return false;
        }
        job = job with { Request = SearchRequestNormalizer.Normalize(job.Request) };
        problem = null;
        return true;
    }

    private async Task PoisonAsync(ReceivedMessage message, string? jobId, string reason, CancellationToken cancellationToken)
    {
        logger.LogWarning("Message {MessageId} (job {JobId}) moved to the poison queue: {Reason}", message.MessageId, jobId ?? "unknown", reason);
        if (jobId is not null)
        {
            var existing = await store.GetJobAsync(jobId, cancellationToken);
            await store.PutJobAsync(new JobRecord
            {
                JobId = jobId,
                Status = JobStatus.Failed,
                Query = existing?.Query,
                CreatedAt = existing?.CreatedAt ?? time.GetUtcNow(),
                UpdatedAt = time.GetUtcNow(),
                Error = reason,
            }, cancellationToken);
        }
        await queue.MoveToPoisonAsync(message, cancellationToken);
    }

    /// <summary>Best effort: the job id of a message that failed to parse as a whole, so its job can be marked failed.</summary>
    private static string? JobIdIn(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                   && doc.RootElement.TryGetProperty("jobId", out var id) && id.ValueKind == JsonValueKind.String
                   && JobIds.IsValid(id.GetString()) ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
