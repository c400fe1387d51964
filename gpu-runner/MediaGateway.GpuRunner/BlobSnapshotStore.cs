using Azure;
using Azure.Storage.Blobs;
using MediaGateway.Engine.Snapshots;

namespace MediaGateway.GpuRunner;

/// <summary>
/// Index snapshots in the <c>index-snapshots</c> blob container, where every replica of the runner finds what
/// the first one computed. The runner's identity holds Blob Data Contributor on this container only (infra/).
/// </summary>
public sealed class BlobSnapshotStore(BlobContainerClient container, ILogger<BlobSnapshotStore> logger) : IIndexSnapshotStore
{
    public string Location => $"blob container {container.Name}";

    public async Task<Stream?> OpenReadAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await container.GetBlobClient(Checked(name)).OpenReadAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null; // no such blob, or no container yet
        }
    }

    public async Task WriteAsync(string name, Stream content, CancellationToken cancellationToken = default)
    {
        try
        {
            // Azurite starts empty; in Azure the template creates the container and this identity may not.
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 403 or 409)
        {
            logger.LogDebug("Could not create container {Container} ({Status}); assuming it was provisioned", container.Name, e.Status);
        }
        await container.GetBlobClient(Checked(name)).UploadAsync(content, overwrite: true, cancellationToken).ConfigureAwait(false);
    }

    private static string Checked(string name) =>
        SnapshotKey.IsValidName(name) ? name : throw new ArgumentException($"'{name}' is not a snapshot name.", nameof(name));
}
