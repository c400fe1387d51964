using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using MediaGateway.Contracts;
using MediaGateway.Contracts.Imports;
using MediaGateway.Contracts.Jobs;

namespace MediaGateway.Storage;

/// <summary>
/// <see cref="ICatalogVersionStore"/> in the <c>index-snapshots</c> container (the runner's identity may write there,
/// and it has no expiry rule): each published catalog's file at <c>catalogs/{id}.json</c>, and the pointer at
/// <c>catalogs/current.json</c>, replaced only If-Match the ETag of the pointer it was read as (If-None-Match * for
/// the first), so two imports finishing at once cannot both believe they are current.
/// </summary>
public sealed class AzureCatalogVersionStore(BlobContainerClient container) : ICatalogVersionStore
{
    private const string PointerBlob = "catalogs/current.json";

    public async Task<PublishedCatalog?> GetCurrentAsync(CancellationToken cancellationToken = default) =>
        (await ReadPointerAsync(cancellationToken).ConfigureAwait(false)).Current;

    public async Task<byte[]?> GetFileAsync(string catalogId, CancellationToken cancellationToken = default)
    {
        try
        {
            var content = await container.GetBlobClient(FileBlob(catalogId)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return content.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<bool> TryPublishAsync(PublishedCatalog next, ReadOnlyMemory<byte> file, PublishedCatalog? replacing, CancellationToken cancellationToken = default)
    {
        try
        {
            // Azurite starts empty; in Azure the template creates the container and this identity may not.
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 403 or 409)
        {
        }
        var (current, etag) = await ReadPointerAsync(cancellationToken).ConfigureAwait(false);
        if (current != replacing) return false;

        // The file first, so a pointer never names a missing file. Same id, same bytes: rewriting it is harmless.
        await container.GetBlobClient(FileBlob(next.CatalogId)).UploadAsync(BinaryData.FromBytes(file), overwrite: true, cancellationToken).ConfigureAwait(false);
        var conditions = etag is { } tag ? new BlobRequestConditions { IfMatch = tag } : new BlobRequestConditions { IfNoneMatch = ETag.All };
        try
        {
            await container.GetBlobClient(PointerBlob).UploadAsync(BinaryData.FromObjectAsJson(next, ContractJson.Options),
                new BlobUploadOptions { Conditions = conditions, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    private async Task<(PublishedCatalog? Current, ETag? ETag)> ReadPointerAsync(CancellationToken cancellationToken)
    {
        try
        {
            var content = await container.GetBlobClient(PointerBlob).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return (JsonSerializer.Deserialize<PublishedCatalog>(content.Value.Content.ToMemory().Span, ContractJson.Options), content.Value.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return (null, null);
        }
    }

    private static string FileBlob(string catalogId) =>
        JobIds.IsValid(catalogId) ? $"catalogs/{catalogId}.json" : throw new ArgumentException($"'{catalogId}' is not a catalog id.", nameof(catalogId));
}
