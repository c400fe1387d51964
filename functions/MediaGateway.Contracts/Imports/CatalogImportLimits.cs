namespace MediaGateway.Contracts.Imports;

/// <summary>Input limits of a catalog import.</summary>
public static class CatalogImportLimits
{
    /// <summary>
    /// Largest uploaded file (413 beyond). The demo catalog (3,201 films, JSON array) is 1.4 MB; 16 MiB holds
    /// about 35,000 such records and keeps one upload from holding much of the gateway's memory. Larger catalogs
    /// are split or loaded at start-up (MediaGateway:Engine:CatalogPath).
    /// </summary>
    public const int MaxBodyBytes = 16 * 1024 * 1024;

    /// <summary>
    /// Largest blob a blob-URL import reads. The runner, not the gateway, holds it (and its rows) in memory, so it may be
    /// larger than an upload: 128 MiB holds about 280,000 records like the demo catalog's.
    /// </summary>
    public const long MaxBlobBytes = 128L * 1024 * 1024;

    /// <summary>Rejected rows listed on the import (the counts cover all of them).</summary>
    public const int MaxReportedErrors = 20;
}
