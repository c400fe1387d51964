namespace MediaGateway.Contracts.Imports;

/// <summary>A blob named for an import that cannot be read, and will not be on a retry (missing, too large, forbidden).</summary>
public sealed class CatalogBlobException(string message) : Exception(message);
