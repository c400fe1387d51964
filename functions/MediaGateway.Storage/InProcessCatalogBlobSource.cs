using MediaGateway.Contracts.Imports;

namespace MediaGateway.Storage;

/// <summary>The embedded default has no storage account, so it has no blobs to import from: every URL is refused, with what to do instead.</summary>
public sealed class InProcessCatalogBlobSource : ICatalogBlobSource
{
    private const string Refusal = "cannot be imported here: this gateway runs with in-process storage and has no storage account. Upload the file instead, or run on Azure Storage (Azurite locally).";

    public string? Check(string? blobUrl) => Refusal;

    public Task<byte[]> ReadAsync(string blobUrl, long maxBytes, CancellationToken cancellationToken = default) =>
        throw new CatalogBlobException("Blob URLs " + Refusal);
}
