using System.Text.Json.Serialization;

namespace MediaGateway.Contracts.Search;

/// <summary>A request field naming an item or concept the catalog does not have; the gateway answers 404 naming the field.</summary>
public sealed record UnknownReference([property: JsonPropertyName("field")] string Field, [property: JsonPropertyName("value")] string Value);
