using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using MediaGateway.Contracts;
using MediaGateway.Contracts.Imports;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Pipeline;
using MediaGateway.Engine.VectorStores;
using MediaGateway.Storage;
using Microsoft.Extensions.Options;

namespace MediaGateway.GpuRunner;

/// <summary>
/// Runs catalog imports that arrive on the search queue (<see cref="CatalogImportMessage"/>): validates every row with
/// the <see cref="CatalogImporter"/>, builds a new engine over the rows it accepts (embedding only what the embedding
/// store lacks), publishes the file as the catalog in service (<see cref="ICatalogVersionStore"/>: every other
/// replica, and this one after a restart, loads it; see <see cref="CatalogWatcher"/>), swaps it in, then reports
/// the new catalog version in a heartbeat before marking the import succeeded. Until the swap, the old engine serves every search; batches already running finish on it. An import
/// that cannot produce a catalog (no valid row, unreadable file, given up after retries) fails and changes nothing.
/// Imports run one at a time, in the background, so searches are not held up while a catalog is embedded; one that
/// arrives while another runs waits its turn (its stage names the import it waits for). On different replicas two imports
/// run side by side, but each publishes conditionally, after the one it read as current, so every replica ends on the
/// one published last, whole.
/// </summary>
public sealed class CatalogImportProcessor(EngineHost host, EngineFactory factory, HeartbeatService heartbeat, ICatalogImportStore store, ICatalogVersionStore versions,
    ICatalogBlobSource blobs, IJobQueue queue, IOptions<EngineOptions> engineOptions, IOptions<RunnerOptions> options, TimeProvider time, ILogger<CatalogImportProcessor> logger)
{
    /// <summary>Conditional publications lost to other imports before this one gives up (the attempt is then retried).</summary>
    private const int MaxPublishConflicts = 5;
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);

    /// <summary>The import changing the catalog on this runner now, named to those waiting for it.</summary>
    private volatile string? _importing;

    /// <summary>Starts the imports among <paramref name="messages"/> and returns the others (searches), in order.</summary>
    public async Task<IReadOnlyList<ReceivedMessage>> TakeImportsAsync(IReadOnlyList<ReceivedMessage> messages, CancellationToken cancellationToken)
    {
        List<ReceivedMessage>? searches = null;
        for (var i = 0; i < messages.Count; i++)
        {
            if (ReadImport(messages[i].Body) is not { } import)
            {
                searches?.Add(messages[i]);
                continue;
            }
            searches ??= [.. messages.Take(i)];
            try
            {
                await StartAsync(messages[i], import, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError("Import message {MessageId} could not be started ({Error}); it will be retried after its lease",
                    SafeText.Escape(messages[i].MessageId, 100), SafeText.Escape(e.Message));
            }
        }
        return searches ?? messages;
    }

    /// <summary>Completes when the imports this runner has started have finished (tests wait on it).</summary>
    internal Task WhenIdleAsync() => Task.WhenAll(_running.Values);

    private async Task StartAsync(ReceivedMessage message, CatalogImportMessage import, CancellationToken cancellationToken)
    {
        if (import.SchemaVersion != CatalogImportMessage.CurrentSchemaVersion || !JobIds.IsValid(import.ImportId))
        {
            await queue.MoveToPoisonAsync(message, "Malformed catalog import message (schemaVersion or importId).", cancellationToken);
            return;
        }
        var id = import.ImportId;
        if (_running.ContainsKey(id)) return; // still being imported here: the message reappears and is deleted once done

        var now = time.GetUtcNow();
        CatalogImportRecord? seen = null;
        var started = await store.TryUpdateAsync(id, i =>
        {
            seen = i;
            // Running and recently updated: another runner is importing it (progress updates keep UpdatedAt fresh).
            var otherRunner = i.Status == JobStatus.Running && now - i.UpdatedAt < StaleAfter;
            return i.Status.IsFinished() || otherRunner || message.DequeueCount > options.Value.MaxDequeueCount ? null
                : i with { Status = JobStatus.Running, Stage = "validating", Error = null, UpdatedAt = now };
        }, cancellationToken);

        if (seen is null)
        {
            await queue.MoveToPoisonAsync(message, $"No catalog import {id} is waiting for this message (unknown or expired).", cancellationToken);
            return;
        }
        if (seen.Status.IsFinished())
        {
            await queue.DeleteAsync(message, cancellationToken);
            return;
        }
        if (started is null && message.DequeueCount > options.Value.MaxDequeueCount)
        {
            await FailAsync(id, $"Gave up after {message.DequeueCount - 1} failed attempts; the catalog in service is unchanged.", cancellationToken);
            await queue.MoveToPoisonAsync(message, $"Catalog import {id} gave up after {message.DequeueCount - 1} failed attempts.", cancellationToken);
            return;
        }
        if (started is null) return; // another runner is on it; the message reappears after its lease

        // Registered before it may start, so its own clean-up (which unregisters it) cannot run first.
        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _running[id] = RunWhenRegisteredAsync(registered.Task, message, id);
        registered.SetResult();
    }

    private async Task RunWhenRegisteredAsync(Task registered, ReceivedMessage message, string id)
    {
        await registered;
        await RunAsync(message, id, CancellationToken.None);
    }

    /// <summary>A running import not updated for this long was left by a runner that died; it is taken over.</summary>
    private TimeSpan StaleAfter => options.Value.VisibilityTimeout * 2;

    private async Task RunAsync(ReceivedMessage message, string id, CancellationToken cancellationToken)
    {
        // An import takes minutes: its lease is renewed until it is done (also while it waits its turn), so no other
        // runner takes it over meanwhile and it cannot run twice; if this runner dies, it comes back within one lease.
        await using var lease = LeaseKeeper.Start(queue, [message], options.Value.VisibilityTimeout, time, logger);
        if (!host.CatalogChanges.Wait(0))
        {
            // Catalog changes run one at a time. One started while another runs waits its turn rather than being
            // refused: nothing the operator sent is lost, and each import replaces the catalog whole, in turn.
            var waitingFor = _importing is { } other ? $"import {other}" : "the catalog change in progress";
            await TryAsync(() => UpdateAsync(id, i => i with { Stage = $"waiting for {waitingFor} to finish" }, cancellationToken));
            await host.CatalogChanges.WaitAsync(cancellationToken);
        }
        _importing = id;
        try
        {
            // What this import replaces is what is served now, after any import it waited for.
            await UpdateAsync(id, i => i with { Stage = "validating", PreviousCatalogVersion = host.Engine?.CatalogVersion }, cancellationToken);
            var finished = await ImportAsync(id, cancellationToken);
            if (finished) await DeleteQuietlyAsync(lease, message);
        }
        catch (Exception e)
        {
            // Not the rows' fault (storage, the model): the message reappears after its lease and is retried, up to MaxDequeueCount.
            logger.LogError(e, "Catalog import {ImportId}: attempt {Attempt} failed; it will be retried", id, message.DequeueCount);
            await TryAsync(() => store.TryUpdateAsync(id, i => i.Status.IsFinished() ? null
                : i with { Status = JobStatus.Queued, Stage = null, UpdatedAt = time.GetUtcNow(), Error = SafeText.Escape($"Attempt {message.DequeueCount} failed ({e.Message}); it will be retried.") }, CancellationToken.None));
        }
        finally
        {
            // The health report said what this import was doing (Report below); the catalog in service is ready again.
            if (host.Engine is not null) host.Report("ready");
            _importing = null;
            host.CatalogChanges.Release();
            _running.TryRemove(id, out _);
        }
    }

    /// <returns>True when the import has finished (succeeded, or failed for good).</returns>
    private async Task<bool> ImportAsync(string id, CancellationToken cancellationToken)
    {
        byte[]? file;
        if ((await store.GetAsync(id, cancellationToken))?.BlobUrl is { } blobUrl)
        {
            // Read here, with the runner's identity, and checked again: the record could have been written by others than the gateway.
            try
            {
                file = await blobs.ReadAsync(blobUrl, CatalogImportLimits.MaxBlobBytes, cancellationToken);
            }
            catch (CatalogBlobException e)
            {
                await FailAsync(id, $"blobUrl: {e.Message} The catalog in service is unchanged.", cancellationToken);
                return true;
            }
            await UpdateAsync(id, i => i with { Bytes = file.Length }, cancellationToken);
        }
        else if ((file = await store.GetFileAsync(id, cancellationToken)) is null)
        {
            await FailAsync(id, "The uploaded file is missing (expired?); the catalog in service is unchanged.", cancellationToken);
            return true;
        }

        CatalogImportResult result;
        try
        {
            result = new CatalogImporter(time).Import(new MemoryStream(file, writable: false));
        }
        catch (CatalogFileException e)
        {
            await FailAsync(id, $"{e.Message}; the catalog in service is unchanged.", cancellationToken);
            return true;
        }
        var report = result.Report;
        var errors = report.Rejected.Take(CatalogImportLimits.MaxReportedErrors).Select(r => SafeText.Escape(r, 300)).ToArray();
        await UpdateAsync(id, i => i with { RowsRead = report.Read, Imported = report.Imported, Rejected = report.Rejected.Count, Flagged = report.Flagged, Errors = errors, Stage = "embedding" }, cancellationToken);
        logger.LogInformation("Catalog import {ImportId}: {Imported} of {Read} rows valid, {Rejected} rejected, {Flagged} flagged", id, report.Imported, report.Read, report.Rejected.Count, report.Flagged);

        if (result.Items.Count == 0)
        {
            await FailAsync(id, report.Read == 0 ? "The file holds no records; the catalog in service is unchanged."
                : "No row could be imported (see errors); the catalog in service is unchanged.", cancellationToken);
            return true;
        }
        if (engineOptions.Value.VectorStore != VectorStoreKind.Embedded)
        {
            await FailAsync(id, $"Imports are served by the embedded vector store; this runner uses {engineOptions.Value.VectorStore}. Load the catalog at start-up instead (MediaGateway:Engine:CatalogPath).", cancellationToken);
            return true;
        }

        var lastReport = DateTimeOffset.MinValue;
        var embedded = new StrongBox<bool>();
        var progress = new Progress<EngineStartupProgress>(p =>
        {
            // Progress keeps the record fresh (another runner does not take it over) without a write per item. Reports
            // are posted to the thread pool: one that runs after the embedding is done says nothing any more.
            if (Volatile.Read(ref embedded.Value) || time.GetUtcNow() - lastReport < TimeSpan.FromSeconds(1)) return;
            lastReport = time.GetUtcNow();
            // The health report says it too: the catalog in service answers meanwhile, and an operator sees why the runner is busy.
            host.Report($"ready; importing catalog {id}: {p.Stage} {p.Done}/{p.Total}");
            _ = TryAsync(() => UpdateAsync(id, i => i with { Stage = $"{p.Stage} {p.Done}/{p.Total}" }, CancellationToken.None));
        });
        SearchEngine engine;
        try
        {
            engine = await factory.CreateAsync(engineOptions.Value, result.Items, $"import-{id}", progress, cancellationToken);
        }
        finally
        {
            Volatile.Write(ref embedded.Value, true);
        }

        // Durable before it is served or reported: a restart or another replica must not fall back behind it.
        await UpdateAsync(id, i => i with { Stage = "publishing" }, cancellationToken);
        var published = await PublishAsync(id, file, engine.CatalogVersion, cancellationToken);
        var previous = host.Swap(engine, published);
        logger.LogInformation("Catalog import {ImportId}: published as #{Sequence}; catalog {Previous} replaced by {Version} ({Items} items)",
            id, published.Sequence, previous?.CatalogVersion, engine.CatalogVersion, engine.CatalogCount);
        // The gateway keys its cache by the version the heartbeat reports: report the new one before saying "succeeded".
        await heartbeat.BeatAsync(cancellationToken);
        await UpdateAsync(id, i => i with { Status = JobStatus.Succeeded, Stage = null, CatalogVersion = engine.CatalogVersion }, cancellationToken);
        return true;
    }

    /// <summary>
    /// Points "current catalog" at this import, one after the one it reads as current (conditionally: an import that
    /// another replica published meanwhile makes it read again). A repeat of an attempt that had published already
    /// finds itself current and is done.
    /// </summary>
    private async Task<PublishedCatalog> PublishAsync(string id, byte[] file, string? catalogVersion, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxPublishConflicts; attempt++)
        {
            var current = await versions.GetCurrentAsync(cancellationToken);
            if (current?.CatalogId == id) return current;
            var next = new PublishedCatalog { CatalogId = id, Sequence = (current?.Sequence ?? 0) + 1, CatalogVersion = catalogVersion, Bytes = file.Length, PublishedAt = time.GetUtcNow() };
            if (await versions.TryPublishAsync(next, file, current, cancellationToken)) return next;
        }
        throw new InvalidOperationException($"Other imports kept publishing first ({MaxPublishConflicts} times).");
    }

    private Task<CatalogImportRecord?> UpdateAsync(string id, Func<CatalogImportRecord, CatalogImportRecord> change, CancellationToken cancellationToken) =>
        store.TryUpdateAsync(id, i => i.Status.IsFinished() ? null : change(i) with { UpdatedAt = time.GetUtcNow() }, cancellationToken);

    private async Task FailAsync(string id, string reason, CancellationToken cancellationToken)
    {
        logger.LogWarning("Catalog import {ImportId} failed: {Reason}", id, reason);
        await UpdateAsync(id, i => i with { Status = JobStatus.Failed, Stage = null, Error = SafeText.Escape(reason) }, cancellationToken);
    }

    private async Task DeleteQuietlyAsync(LeaseKeeper lease, ReceivedMessage message)
    {
        // Should the delete fail (storage down), the copy that reappears finds the import finished and is deleted then.
        await TryAsync(() => lease.SettleAsync(message, m => queue.DeleteAsync(m, CancellationToken.None)));
    }

    private async Task TryAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Catalog import bookkeeping failed ({Error}); the message will be retried after its lease", SafeText.Escape(e.Message));
        }
    }

    /// <summary>The import message in <paramref name="body"/>, or null for anything else (a search message).</summary>
    private static CatalogImportMessage? ReadImport(string body)
    {
        if (!body.Contains(CatalogImportMessage.KindValue, StringComparison.Ordinal)) return null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("kind", out var kind)
                || kind.ValueKind != JsonValueKind.String || kind.GetString() != CatalogImportMessage.KindValue) return null;
            return doc.RootElement.Deserialize<CatalogImportMessage>(ContractJson.Options) is { ImportId: not null } import ? import : null;
        }
        catch (JsonException)
        {
            return null; // the search path poisons it, with the reason
        }
    }
}
