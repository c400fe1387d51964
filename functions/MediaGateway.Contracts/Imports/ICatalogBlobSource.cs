namespace MediaGateway.Contracts.Imports;

/// <summary>
/// Catalog files named by a blob URL. Only blobs of the configured storage account are accepted (anything else would
/// let a caller make the service fetch arbitrary URLs: SSRF); the gateway checks the URL, the runner checks it again
/// and reads the blob with its own identity, within a size limit.
/// </summary>
public interface ICatalogBlobSource
{
    /// <summary>Why <paramref name="blobUrl"/> cannot be imported (text for the caller, naming no secret), or null when it can.</summary>
    string? Check(string? blobUrl);

    /// <summary>
    /// The blob's bytes, at most <paramref name="maxBytes"/>. Throws <see cref="CatalogBlobException"/> with a reason for
    /// the caller when the blob cannot be read for good (missing, too large, not allowed); other exceptions are transient.
    /// </summary>
    Task<byte[]> ReadAsync(string blobUrl, long maxBytes, CancellationToken cancellationToken = default);
}
