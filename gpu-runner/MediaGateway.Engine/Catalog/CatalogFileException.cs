namespace MediaGateway.Engine.Catalog;

/// <summary>A catalog file that cannot be read as a whole (a JSON array that is not valid JSON); the message says where, for the operator.</summary>
public sealed class CatalogFileException(string message) : Exception(message);
