using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using MediaGateway.Contracts.Imports;
using MediaGateway.Contracts.Jobs;

namespace MediaGateway.Storage;

/// <summary>
/// <see cref="ICatalogImportStore"/> on Azure Storage: records in the jobs table (partition "import", ETag-conditional
/// updates), the uploaded file as a blob in the results container (<c>imports/{id}/catalog</c>, removed by the
/// container's lifecycle rule like the search results), uploaded If-None-Match: never rewritten. The same table and
/// container as jobs and batches, so the identities need no further role.
/// </summary>
public sealed class AzureCatalogImportStore(TableClient jobs, BlobContainerClient results) : ICatalogImportStore
{
    private const string ImportPartition = "import";
    private const int MaxConflicts = 5;

    public async Task<bool> TryCreateAsync(CatalogImportRecord import, ReadOnlyMemory<byte> file, CancellationToken cancellationToken = default)
    {
        try
        {
            var options = new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" },
            };
            await results.GetBlobClient(FileBlob(import.ImportId)).UploadAsync(BinaryData.FromBytes(file), options, cancellationToken).ConfigureAwait(false);
            await jobs.AddEntityAsync(ToEntity(import), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    public async Task<CatalogImportRecord?> GetAsync(string importId, CancellationToken cancellationToken = default) =>
        await ReadAsync(importId, cancellationToken).ConfigureAwait(false) is { } entity ? ToRecord(entity) : null;

    public async Task<CatalogImportRecord?> TryUpdateAsync(string importId, Func<CatalogImportRecord, CatalogImportRecord?> change, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            if (await ReadAsync(importId, cancellationToken).ConfigureAwait(false) is not { } entity) return null;
            if (change(ToRecord(entity)) is not { } next) return null;
            next = next with { ImportId = importId };
            try
            {
                await jobs.UpdateEntityAsync(ToEntity(next), entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return next;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
            }
        }
        throw new InvalidOperationException($"Import {importId} kept changing during {MaxConflicts} conditional updates.");
    }

    public async Task<byte[]?> GetFileAsync(string importId, CancellationToken cancellationToken = default)
    {
        try
        {
            var content = await results.GetBlobClient(FileBlob(importId)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private async Task<TableEntity?> ReadAsync(string importId, CancellationToken cancellationToken)
    {
        var entity = await jobs.GetEntityIfExistsAsync<TableEntity>(ImportPartition, importId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return entity.HasValue ? entity.Value : null;
    }

    private static CatalogImportRecord ToRecord(TableEntity e) => new()
    {
        ImportId = e.RowKey,
        Status = Enum.Parse<JobStatus>(e.GetString("Status")),
        Bytes = e.GetInt64("Bytes") ?? 0,
        BlobUrl = e.GetString("BlobUrl"),
        RowsRead = e.GetInt32("RowsRead") ?? 0,
        Imported = e.GetInt32("Imported") ?? 0,
        Rejected = e.GetInt32("Rejected") ?? 0,
        Flagged = e.GetInt32("Flagged") ?? 0,
        Errors = e.GetString("Errors") is { } errors ? JsonSerializer.Deserialize<string[]>(errors) ?? [] : [],
        Stage = e.GetString("Stage"),
        PreviousCatalogVersion = e.GetString("PreviousCatalogVersion"),
        CatalogVersion = e.GetString("CatalogVersion"),
        CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? default,
        UpdatedAt = e.GetDateTimeOffset("UpdatedAt") ?? default,
        Error = e.GetString("Error"),
    };

    // The error list is capped (CatalogImportLimits.MaxReportedErrors, each escaped and short), so it fits one string property (64 KiB).
    private static TableEntity ToEntity(CatalogImportRecord i) => new(ImportPartition, i.ImportId)
    {
        ["Status"] = i.Status.ToString(),
        ["Bytes"] = i.Bytes,
        ["BlobUrl"] = i.BlobUrl,
        ["RowsRead"] = i.RowsRead,
        ["Imported"] = i.Imported,
        ["Rejected"] = i.Rejected,
        ["Flagged"] = i.Flagged,
        ["Errors"] = JsonSerializer.Serialize(i.Errors),
        ["Stage"] = i.Stage,
        ["PreviousCatalogVersion"] = i.PreviousCatalogVersion,
        ["CatalogVersion"] = i.CatalogVersion,
        ["CreatedAt"] = i.CreatedAt,
        ["UpdatedAt"] = i.UpdatedAt,
        ["Error"] = i.Error,
    };

    private static string FileBlob(string importId) => $"imports/{importId}/catalog";
}
