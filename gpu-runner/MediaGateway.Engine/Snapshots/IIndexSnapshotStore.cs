namespace MediaGateway.Engine.Snapshots;

/// <summary>
/// Where index snapshots are kept between runs and shared between replicas: the <c>index-snapshots</c> blob
/// container in Azure, a local folder on the embedded default. Snapshots are immutable and named by their
/// content (<see cref="SnapshotKey.Name"/>), so a store needs no locking: the same name always means the same bytes.
/// </summary>
public interface IIndexSnapshotStore
{
    /// <summary>Where the snapshots are, for log lines ("blob container index-snapshots", a folder path).</summary>
    string Location { get; }

    /// <summary>Opens a snapshot for reading, or null when there is none under that name.</summary>
    Task<Stream?> OpenReadAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Stores a snapshot under <paramref name="name"/> (replacing one of the same name) from a readable, seekable stream.</summary>
    Task WriteAsync(string name, Stream content, CancellationToken cancellationToken = default);
}
