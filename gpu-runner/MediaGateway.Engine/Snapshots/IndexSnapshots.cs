using Microsoft.Extensions.Logging;

namespace MediaGateway.Engine.Snapshots;

/// <summary>
/// Loads and saves <see cref="IndexSnapshot"/>s through a store, never letting a snapshot problem stop start-up:
/// a missing, corrupt, mismatched or unreachable snapshot is logged with its reason and the caller recomputes;
/// a failed write is logged and start-up goes on.
/// </summary>
public sealed class IndexSnapshots(IIndexSnapshotStore store, ILogger logger)
{
    public string Location => store.Location;

    public async Task<IndexSnapshot?> TryLoadAsync(SnapshotKey key, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var stream = await store.OpenReadAsync(key.Name, cancellationToken).ConfigureAwait(false);
            if (stream is null)
            {
                logger.LogInformation("No index snapshot {Name} in {Location}: computing it", key.Name, store.Location);
                return null;
            }
            var snapshot = await IndexSnapshot.ReadAsync(stream, key, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Loaded index snapshot {Name} from {Location}: {Rows} × {Dimension} vectors{Graph}",
                key.Name, store.Location, key.Rows, key.Dimension, snapshot.Graph is null ? "" : $" and a {snapshot.Graph.Length:N0}-byte HNSW graph");
            return snapshot;
        }
        catch (InvalidDataException e)
        {
            logger.LogWarning("Index snapshot {Name} in {Location} is not usable ({Reason}): computing it again", key.Name, store.Location, e.Message);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Index snapshot {Name} could not be read from {Location} ({Reason}): computing it", key.Name, store.Location, e.Message);
            return null;
        }
    }

    public async Task SaveAsync(IndexSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        try
        {
            // Through a temporary file: the blob upload needs a seekable stream and its length, and a large
            // catalog's vectors should not be copied into a second buffer in memory.
            var temp = Path.Combine(Path.GetTempPath(), $"mg-snapshot-{Guid.NewGuid():N}.tmp");
            await using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            await snapshot.WriteAsync(file, cancellationToken).ConfigureAwait(false);
            file.Position = 0;
            await store.WriteAsync(snapshot.Key.Name, file, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Saved index snapshot {Name} ({Bytes:N0} bytes) to {Location}", snapshot.Key.Name, file.Length, store.Location);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Index snapshot {Name} could not be saved to {Location} ({Reason}); the next start computes it again",
                snapshot.Key.Name, store.Location, e.Message);
        }
    }
}
