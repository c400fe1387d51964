namespace MediaGateway.Engine.Snapshots;

/// <summary>Index snapshots in a local folder: the embedded default's stand-in for the <c>index-snapshots</c> container.</summary>
public sealed class FolderSnapshotStore(string directory) : IIndexSnapshotStore
{
    public string Location => directory;

    public Task<Stream?> OpenReadAsync(string name, CancellationToken cancellationToken = default)
    {
        var path = PathOf(name);
        return Task.FromResult<Stream?>(File.Exists(path) ? File.OpenRead(path) : null);
    }

    public async Task WriteAsync(string name, Stream content, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        var path = PathOf(name);
        // Written beside and renamed: a crash never leaves a half-written snapshot under the real name.
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        await using (var file = File.Create(temp)) await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
    }

    private string PathOf(string name) =>
        Path.Combine(directory, SnapshotKey.IsValidName(name) ? name : throw new ArgumentException($"'{name}' is not a snapshot name.", nameof(name)));
}
