namespace MediaGateway.Contracts.Imports;

/// <summary>
/// Imported catalogs kept for good (not the import's upload, which expires) and the <see cref="PublishedCatalog"/>
/// pointer to the one in service: what a runner loads at start and watches for a newer one, so every replica serves
/// the same catalog and a restart does not revert an import.
/// </summary>
public interface ICatalogVersionStore
{
    /// <summary>The catalog in service; null when none was ever imported (the configured catalog is served).</summary>
    Task<PublishedCatalog?> GetCurrentAsync(CancellationToken cancellationToken = default);

    /// <summary>A published catalog's file; null when missing.</summary>
    Task<byte[]?> GetFileAsync(string catalogId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the file, then points "current" at <paramref name="next"/> only if it still points at
    /// <paramref name="replacing"/> (null: at nothing). False when another publication came first: read again and retry.
    /// </summary>
    Task<bool> TryPublishAsync(PublishedCatalog next, ReadOnlyMemory<byte> file, PublishedCatalog? replacing, CancellationToken cancellationToken = default);
}
