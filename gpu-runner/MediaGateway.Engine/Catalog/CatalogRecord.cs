using System.Text.Json;

namespace MediaGateway.Engine.Catalog;

/// <summary>
/// One record of a catalog file as <see cref="CatalogRecordReader"/> found it: where it is, for the report ("record 3",
/// "line 7", 1-based), and either its JSON object or why it has none (<see cref="Problem"/>, in the operator's words).
/// </summary>
public sealed record CatalogRecord(string Where, JsonElement Object, string? Problem);
