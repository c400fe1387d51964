using Azure;
using Azure.Storage.Blobs;
using MediaGateway.Contracts.Imports;

namespace MediaGateway.Storage;

/// <summary>
/// <see cref="ICatalogBlobSource"/> on the configured storage account: a URL is accepted only when its scheme, host and
/// port are the account's blob endpoint (and, for Azurite's path-style URLs, its account name), it names a container
/// and a blob, and it carries no query (no SAS, snapshot or version), user info or fragment. The blob is read with the
/// account's credentials (in Azure the runner's managed identity, which needs Storage Blob Data Reader on it).
/// </summary>
public sealed class AzureCatalogBlobSource(StorageClients clients) : ICatalogBlobSource
{
    public string? Check(string? blobUrl) => Parse(blobUrl, out _);

    public async Task<byte[]> ReadAsync(string blobUrl, long maxBytes, CancellationToken cancellationToken = default)
    {
        if (Parse(blobUrl, out var blob) is { } problem) throw new CatalogBlobException(problem);
        var client = clients.Blob(blob!.BlobContainerName, blob.BlobName);
        try
        {
            var properties = (await client.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            if (properties.ContentLength > maxBytes)
                throw new CatalogBlobException($"The blob is {properties.ContentLength:N0} bytes; at most {maxBytes:N0} are imported. Split the catalog.");
            // The version whose size was checked, and no byte past the limit even if the service said otherwise.
            var download = await client.DownloadStreamingAsync(new Azure.Storage.Blobs.Models.BlobDownloadOptions
            {
                Conditions = new Azure.Storage.Blobs.Models.BlobRequestConditions { IfMatch = properties.ETag },
            }, cancellationToken).ConfigureAwait(false);
            await using var content = download.Value.Content;
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await content.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes) throw new CatalogBlobException($"The blob is larger than {maxBytes:N0} bytes. Split the catalog.");
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new CatalogBlobException("No such blob (or no such container) in the storage account.");
        }
        catch (RequestFailedException e) when (e.Status == 403)
        {
            throw new CatalogBlobException("The gpu-runner's identity may not read that blob: grant it Storage Blob Data Reader on the container.");
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            throw new CatalogBlobException("The blob changed while it was being read; start the import again.");
        }
    }

    private string? Parse(string? blobUrl, out BlobUriBuilder? blob)
    {
        blob = null;
        if (string.IsNullOrWhiteSpace(blobUrl)) return "is required: the URL of a blob in this deployment's storage account.";
        if (blobUrl.Length > CatalogImportFromBlob.MaxUrlLength) return $"must be at most {CatalogImportFromBlob.MaxUrlLength} characters.";
        if (!Uri.TryCreate(blobUrl, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
            return "must be an absolute https URL of a blob.";
        if (url.UserInfo.Length > 0 || url.Query.Length > 0 || url.Fragment.Length > 0)
            return "must not carry user info, a query (SAS token, snapshot, version) or a fragment: the blob is read with the gpu-runner's own identity.";
        var endpoint = clients.BlobEndpoint;
        if (!string.Equals(url.Scheme, endpoint.Scheme, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(url.IdnHost, endpoint.IdnHost, StringComparison.OrdinalIgnoreCase) || url.Port != endpoint.Port)
            return "must be a blob in this deployment's storage account (its blob endpoint); other hosts are not fetched.";
        var parsed = new BlobUriBuilder(url);
        if (!string.Equals(parsed.AccountName, new BlobUriBuilder(endpoint).AccountName, StringComparison.Ordinal))
            return "must be a blob in this deployment's storage account (its blob endpoint); other hosts are not fetched.";
        if (string.IsNullOrEmpty(parsed.BlobContainerName) || string.IsNullOrEmpty(parsed.BlobName))
            return "must name a container and a blob in it.";
        blob = parsed;
        return null;
    }
}
