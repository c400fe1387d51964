using System.Text.Json;
using System.Text.RegularExpressions;
using MediaGateway.Contracts;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Pipeline;
using MediaGateway.GpuRunner.Telemetry;
using MediaGateway.Storage;
using Microsoft.Extensions.Options;

namespace MediaGateway.GpuRunner;

/// <summary>
/// Handles one batch of queue messages. It trusts no message: each is read with the HTTP function's rules,
/// its cache key is recomputed from its request and must match both the message and the job record, and a
/// job is only ever moved forward (queued → running → succeeded/failed) by conditional writes, so a duplicate,
/// late or forged message can neither re-run nor overwrite a finished job. Bad messages go to the poison queue;
/// good ones are searched together, and a query that makes the batch fail is then failed alone while its
/// batchmates complete. Each message is deleted only after its result is durable, and its lease is renewed
/// while the batch runs (<see cref="LeaseKeeper"/>), so a batch longer than the visibility timeout is never handed
/// to another runner mid-run, while a dead runner's messages still come back within one short lease.
/// </summary>
public sealed partial class JobProcessor(IJobQueue queue, IResultStore store, IOptions<RunnerOptions> options, TimeProvider time, ILogger<JobProcessor> logger,
    RunnerMetrics? metrics = null)
{
    /// <summary>Runs a batch of queries; the engine in production, a stand-in in tests.</summary>
    public delegate Task<IReadOnlyList<SearchResponse>> BatchSearch(IReadOnlyList<EngineQuery> batch, CancellationToken cancellationToken);

    /// <param name="MarkedRunning">The job's "running" write, under way while the engine searches; awaited before any later write to the job.</param>
    private sealed record Work(ReceivedMessage Message, SearchJobMessage Job, Task MarkedRunning);

    private const string CacheKeyMismatch = "cacheKey does not match the request";

    /// <summary>
    /// How recently the engine must have answered a search for a lone query's failure to count as that query's own
    /// (see <see cref="IsolateAsync"/>). Long enough to span the gaps of light traffic, short enough that a device
    /// lost a minute ago is not mistaken for a working one.
    /// </summary>
    private static readonly TimeSpan EngineRecentlyAnswered = TimeSpan.FromSeconds(30);

    /// <summary>When the engine last answered a search (a <see cref="TimeProvider"/> timestamp; 0: never).</summary>
    private long _engineAnsweredAt;

    public Task ProcessAsync(SearchEngine engine, IReadOnlyList<ReceivedMessage> messages, CancellationToken cancellationToken) =>
        ProcessAsync(engine.SearchAsync, messages, cancellationToken);

    public async Task ProcessAsync(BatchSearch search, IReadOnlyList<ReceivedMessage> messages, CancellationToken cancellationToken)
    {
        await using var leases = LeaseKeeper.Start(queue, messages, options.Value.VisibilityTimeout, time, logger);
        // Each message's admission is its own job's conditional write: run them together, so a batch of 16 on Azure
        // Storage costs one round trip of latency, not 16 in a row.
        var admitted = await Task.WhenAll(messages.Select(async message =>
        {
            try
            {
                return await AdmitAsync(message, leases, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One message's trouble (storage, most likely) must not hold up its batchmates; it reappears after its lease.
                logger.LogError("Message {MessageId} could not be admitted ({Error}); it will be retried after its lease",
                    SafeText.Escape(message.MessageId, 100), SafeText.Escape(e.Message));
                return null;
            }
        }));
        var work = admitted.OfType<Work>().ToList();
        if (work.Count == 0) return;

        // The engine's stage spans and each job's store span are children of this one (see RunnerActivity).
        using var batch = RunnerActivity.StartBatch(work.Select(w => TraceParent.Parse(w.Job.TraceParent)).ToArray());
        IReadOnlyList<SearchResponse> responses;
        var started = time.GetUtcNow();
        try
        {
            responses = await search(work.Select(w => new EngineQuery(w.Job.JobId, w.Job.Request)).ToArray(), cancellationToken);
            NoteEngineAnswered();
            var backend = responses.Count > 0 ? responses[0].Backend ?? "unknown" : "unknown";
            batch?.SetTag(RunnerMetrics.BackendTag, backend);
            metrics?.RecordBatch(work.Count, backend, responses.Count > 0 ? responses[0].TimingsMs : null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await RunningWrittenAsync(work);
            await IsolateAsync(search, work, e, leases, cancellationToken);
            return;
        }
        await RunningWrittenAsync(work);
        // Likewise each job's result and record: written together.
        await Task.WhenAll(work.Select((w, i) => CompleteAsync(w, WithQueueWait(responses[i], w.Job, started), leases, cancellationToken)));
    }

    /// <summary>
    /// Checks a message and marks its job running. Returns null when the message was dealt with here: poisoned,
    /// or deleted as a duplicate of a job that has finished.
    /// </summary>
    private async Task<Work?> AdmitAsync(ReceivedMessage message, LeaseKeeper leases, CancellationToken cancellationToken)
    {
        if (!TryRead(message.Body, out var job, out var problem))
        {
            // A message whose key and request disagree says nothing true about the job it names: leave that job alone.
            var named = problem == CacheKeyMismatch ? null : job?.JobId ?? JobIdIn(message.Body);
            await PoisonAsync(message, leases, named, null, $"Malformed job message: {problem}", cancellationToken);
            return null;
        }
        // One read decides: no job, another request's job, a finished job, too many attempts, or ours to run.
        var now = time.GetUtcNow();
        var seen = await store.GetJobAsync(job!.JobId, cancellationToken);
        if (seen is null)
        {
            await PoisonAsync(message, leases, null, null, $"No job {job.JobId} is waiting for this message (unknown or expired).", cancellationToken);
            return null;
        }
        if (seen.CacheKey != job.CacheKey)
        {
            // A message that would answer one request with another's results: never touch that job.
            await PoisonAsync(message, leases, null, null, $"The message's request does not match job {job.JobId}.", cancellationToken);
            return null;
        }
        if (seen.Status.IsFinished())
        {
            logger.LogInformation("Job {JobId} has finished already; message {MessageId} was a repeat and is dropped", job.JobId, SafeText.Escape(message.MessageId, 100));
            await leases.SettleAsync(message, m => queue.DeleteAsync(m, cancellationToken));
            return null;
        }
        if (message.DequeueCount > options.Value.MaxDequeueCount)
        {
            await PoisonAsync(message, leases, job.JobId, job.CacheKey, $"Gave up after {message.DequeueCount - 1} failed attempts.", cancellationToken);
            return null;
        }
        metrics?.RecordQueueWait(job.EnqueuedAt, now);
        // "Running" is written while the engine searches, not before: it tells watchers the job was taken, and
        // nothing waits on it. It is conditional like every write (a job finished meanwhile stays finished), and on
        // Azure it costs no read: the store remembers the ETag it just read.
        var markedRunning = store.TryUpdateJobAsync(job.JobId, j => j.Status.IsFinished() || j.CacheKey != job.CacheKey ? null
            : j with { Status = JobStatus.Running, UpdatedAt = now }, cancellationToken);
        return new Work(message, job, markedRunning);
    }

    /// <summary>
    /// The batch failed as a whole. Each query is run alone: the ones that fail alone are failed alone, with a
    /// message for their callers, and their batchmates complete. If every one fails, the fault is not any one
    /// query's (the model, the device): the messages are left to reappear and be retried. A batch of one is the
    /// exception that proves nothing either way, so the engine's recent record decides: a lone query that fails
    /// while the engine answered other searches within <see cref="EngineRecentlyAnswered"/> fails alone, at once
    /// (it used to be retried after its lease up to the dequeue limit, about a minute, which made its caller, or
    /// the batch job waiting on it, time out first).
    /// </summary>
    private async Task IsolateAsync(BatchSearch search, List<Work> work, Exception batchError, LeaseKeeper leases, CancellationToken cancellationToken)
    {
        logger.LogWarning("Search failed for a batch of {Count} ({Error}); searching its queries one by one", work.Count, SafeText.Escape(batchError.Message));
        var failed = new List<(Work Work, Exception Error)>();
        foreach (var w in work)
        {
            try
            {
                var response = (await search([new EngineQuery(w.Job.JobId, w.Job.Request)], cancellationToken))[0];
                NoteEngineAnswered();
                await CompleteAsync(w, response, leases, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failed.Add((w, e));
            }
        }

        if (failed.Count == work.Count && !(work.Count == 1 && EngineAnsweredRecently()))
        {
            foreach (var (w, e) in failed)
            {
                logger.LogError("Job {JobId}: attempt {Attempt} failed ({Error}); the message will be retried after its lease",
                    w.Job.JobId, w.Message.DequeueCount, SafeText.Escape(e.Message));
                await TryStoreAsync(() => store.TryUpdateJobAsync(w.Job.JobId, j => j.Status != JobStatus.Running ? null
                    : j with { Status = JobStatus.Queued, UpdatedAt = time.GetUtcNow(), Error = $"Attempt {w.Message.DequeueCount} failed; it will be retried." }, cancellationToken));
            }
            return;
        }

        foreach (var (w, e) in failed)
        {
            logger.LogWarning("Job {JobId} failed alone ({Error}: {Message}); its batchmates completed", w.Job.JobId, e.GetType().Name, SafeText.Escape(e.Message));
            await TryStoreAsync(() => PoisonAsync(w.Message, leases, w.Job.JobId, w.Job.CacheKey,
                "This query could not be searched: the engine failed on it. Other searches were not affected. Rephrase the query, or report this job id.", cancellationToken));
        }
    }

    /// <summary>Waits for the jobs' "running" writes, so the writes after them never race them.</summary>
    private async Task RunningWrittenAsync(IEnumerable<Work> work)
    {
        foreach (var w in work)
        {
            try
            {
                await w.MarkedRunning;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The result's own conditional write decides what happens next; a job shown "queued" a moment longer misleads nobody.
                logger.LogWarning("Job {JobId} could not be marked running ({Error})", w.Job.JobId, SafeText.Escape(e.Message));
            }
        }
    }

    private void NoteEngineAnswered() => Interlocked.Exchange(ref _engineAnsweredAt, time.GetTimestamp());

    private bool EngineAnsweredRecently() =>
        Interlocked.Read(ref _engineAnsweredAt) is var at && at != 0 && time.GetElapsedTime(at) < EngineRecentlyAnswered;

    private static SearchResponse WithQueueWait(SearchResponse response, SearchJobMessage job, DateTimeOffset started) =>
        response.TimingsMs is { } timings ? response with { TimingsMs = timings with { Queue = Math.Round((started - job.EnqueuedAt).TotalMilliseconds, 2) } } : response;

    private async Task CompleteAsync(Work w, SearchResponse response, LeaseKeeper leases, CancellationToken cancellationToken)
    {
        var ambient = System.Diagnostics.Activity.Current;
        using var span = RunnerActivity.StartStore(TraceParent.Parse(w.Job.TraceParent), ambient?.Source == RunnerActivity.Source ? ambient : null);
        span?.SetTag("mediagateway.job_id", w.Job.JobId);
        try
        {
            if (!await store.CompleteJobAsync(w.Job.JobId, response with { JobId = w.Job.JobId }, time.GetUtcNow(), cancellationToken))
                logger.LogInformation("Job {JobId} had finished already; its stored result is kept", w.Job.JobId);
            await leases.SettleAsync(w.Message, m => queue.DeleteAsync(m, cancellationToken));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError("Job {JobId}: the result could not be stored ({Error}); the message will be retried after its lease", w.Job.JobId, SafeText.Escape(e.Message));
        }
    }

    /// <summary>
    /// Moves the message to the poison queue and, when it names a job that is still queued or running (and, if
    /// <paramref name="cacheKey"/> is given, is that key's job), marks that job failed. Finished jobs are never touched.
    /// </summary>
    private async Task PoisonAsync(ReceivedMessage message, LeaseKeeper leases, string? jobId, string? cacheKey, string reason, CancellationToken cancellationToken)
    {
        reason = SafeText.Escape(reason);
        if (jobId is not null)
        {
            await store.TryUpdateJobAsync(jobId, j => j.Status.IsFinished() || (cacheKey is not null && j.CacheKey != cacheKey) ? null
                : j with { Status = JobStatus.Failed, UpdatedAt = time.GetUtcNow(), Error = reason }, cancellationToken);
        }
        await leases.SettleAsync(message, m => queue.MoveToPoisonAsync(m, reason, cancellationToken));
        logger.LogWarning("Message {MessageId} (job {JobId}) moved to the poison queue: {Reason}", SafeText.Escape(message.MessageId, 100), jobId ?? "unknown", reason);
    }

    private async Task TryStoreAsync(Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError("Could not record a job's failure ({Error}); its message will be retried after its lease", SafeText.Escape(e.Message));
        }
    }

    /// <summary>
    /// Reads and checks a message with the same rules the HTTP function applies to a request, and recomputes its
    /// cache key from the request. Every problem text is escaped: it may quote the message.
    /// </summary>
    public static bool TryRead(string body, out SearchJobMessage? job, out string? problem)
    {
        job = null;
        try
        {
            job = JsonSerializer.Deserialize<SearchJobMessage>(body, ContractJson.Options);
        }
        catch (JsonException e)
        {
            problem = SafeText.Escape($"not a valid job document ({e.Message})");
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
            job = null;
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
            problem = SafeText.Escape(string.Join("; ", errors.Select(e => $"request.{e.Field} {e.Message}")));
            return false;
        }
        if (job.CatalogVersion is not null && !CatalogVersionPattern().IsMatch(job.CatalogVersion))
        {
            problem = "catalogVersion must be 1–64 lowercase letters, digits or dashes";
            job = null;
            return false;
        }
        var normalized = SearchRequestNormalizer.Normalize(job.Request);
        if (job.CacheKey is null || !CacheKeyPattern().IsMatch(job.CacheKey) || SearchRequestNormalizer.CacheKeyFor(normalized, job.CatalogVersion) != job.CacheKey)
        {
            problem = CacheKeyMismatch;
            job = null;
            return false;
        }
        // The trace context is optional and only ever used as a parent id: one not in the exact W3C form is dropped.
        job = job with { Request = normalized, TraceParent = TraceParent.IsValid(job.TraceParent) ? job.TraceParent : null };
        problem = null;
        return true;
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

    [GeneratedRegex(@"^[0-9a-f]{64}\z")]
    private static partial Regex CacheKeyPattern();

    [GeneratedRegex(@"^[0-9a-z-]{1,64}\z")]
    private static partial Regex CatalogVersionPattern();
}
