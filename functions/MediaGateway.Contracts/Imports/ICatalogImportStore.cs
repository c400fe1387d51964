namespace MediaGateway.Contracts.Imports;

/// <summary>
/// Catalog imports: their records (state and progress) and the uploaded file. Like the batch store, every change
/// to a record is conditional, and the file is written once.
/// </summary>
public interface ICatalogImportStore
{
    /// <summary>Stores the file, then the record (so a record always has its file); false when the id exists already.</summary>
    Task<bool> TryCreateAsync(CatalogImportRecord import, ReadOnlyMemory<byte> file, CancellationToken cancellationToken = default);

    Task<CatalogImportRecord?> GetAsync(string importId, CancellationToken cancellationToken = default);

    /// <summary>Reads, asks <paramref name="change"/> (null declines), writes only if unchanged since the read; returns what was written.</summary>
    Task<CatalogImportRecord?> TryUpdateAsync(string importId, Func<CatalogImportRecord, CatalogImportRecord?> change, CancellationToken cancellationToken = default);

    /// <summary>The uploaded file; null when missing.</summary>
    Task<byte[]?> GetFileAsync(string importId, CancellationToken cancellationToken = default);
}
