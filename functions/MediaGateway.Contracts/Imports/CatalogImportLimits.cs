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

    /// <summary>
    /// Largest single record (JSON array element or JSON Lines line) in UTF-8 bytes; a larger one is rejected alone. A demo
    /// record is about 450 bytes; this holds a description at its cap (<see cref="MaxLongTextLength"/>) even written
    /// entirely as \u escapes, with room for attributes.
    /// </summary>
    public const int MaxRecordBytes = 128 * 1024;

    /// <summary>
    /// Deepest nesting of objects and arrays in one record (the record itself is level 1, a list of genres level 2); a
    /// deeper one is rejected alone. No field the catalog reads is deeper than 2, so this only stops a hostile file.
    /// </summary>
    public const int MaxRecordDepth = 16;

    /// <summary>Longest title kept; a longer one is truncated and flagged.</summary>
    public const int MaxTitleLength = 500;

    /// <summary>Longest description (and text attribute, such as a tagline) kept; a longer one is truncated and flagged.</summary>
    public const int MaxLongTextLength = 10_000;

    /// <summary>Longest value of any other text field (director, a genre, distributor…); a longer one is truncated and flagged.</summary>
    public const int MaxShortTextLength = 1_000;
}
