using System.Text.Json;
using MediaGateway.Contracts;
using MediaGateway.Contracts.Imports;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Functions.Search;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaGateway.Functions.Imports;

/// <summary>
/// The HTTP side of a catalog import: stores the uploaded file and a queued record under a random handle, then puts
/// a <see cref="CatalogImportMessage"/> on the search queue, where a gpu-runner validates, embeds and swaps it in.
/// </summary>
public sealed class CatalogImportGateway(ICatalogImportStore store, IMessageQueues queues, SearchGateway searches, ICatalogBlobSource blobs, IOptions<GatewayOptions> options,
    TimeProvider time, ILogger<CatalogImportGateway> logger)
{
    public Task<CatalogImportRecord> StartAsync(ReadOnlyMemory<byte> file, CancellationToken cancellationToken) =>
        StartAsync(file, null, cancellationToken);

    /// <summary>Why <paramref name="blobUrl"/> cannot be imported, for the caller; null when it can.</summary>
    public string? CheckBlobUrl(string? blobUrl) => blobs.Check(blobUrl);

    /// <summary>An import of a blob the runner will read (checked with <see cref="CheckBlobUrl"/> first).</summary>
    public Task<CatalogImportRecord> StartFromBlobAsync(string blobUrl, CancellationToken cancellationToken) =>
        StartAsync(ReadOnlyMemory<byte>.Empty, blobUrl, cancellationToken);

    private async Task<CatalogImportRecord> StartAsync(ReadOnlyMemory<byte> file, string? blobUrl, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var import = new CatalogImportRecord { ImportId = JobIds.NewHandle(), Status = JobStatus.Queued, Bytes = file.Length, BlobUrl = blobUrl, CreatedAt = now, UpdatedAt = now };
        if (!await store.TryCreateAsync(import, file, cancellationToken))
            throw new InvalidOperationException("A random import handle collided with an existing import.");
        try
        {
            var message = new CatalogImportMessage { ImportId = import.ImportId, EnqueuedAt = now };
            await queues.Get(StorageNames.SearchQueue).SendAsync(JsonSerializer.Serialize(message, ContractJson.Options), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await store.TryUpdateAsync(import.ImportId, i => i.Status.IsFinished() ? null
                : i with { Status = JobStatus.Failed, UpdatedAt = time.GetUtcNow(), Error = "Could not enqueue the import; the queue is unavailable. Try again shortly." }, CancellationToken.None);
            throw;
        }
        logger.LogInformation("Enqueued catalog import {ImportId} ({Source})", import.ImportId, blobUrl is null ? $"{file.Length} bytes" : "from a blob");
        return import;
    }

    /// <summary>The import's record; null for unknown imports and those older than the job retention.</summary>
    public async Task<CatalogImportRecord?> GetAsync(string importId, CancellationToken cancellationToken)
    {
        var import = await store.GetAsync(importId, cancellationToken);
        if (import is null || time.GetUtcNow() - import.CreatedAt > options.Value.JobRetention) return null;
        // The runner has swapped catalogs: this gateway reads the served version again before its next search,
        // rather than after its refresh interval, so its cache of the old catalog is not consulted.
        if (import.Status == JobStatus.Succeeded) searches.CatalogChanged();
        return import;
    }
}
