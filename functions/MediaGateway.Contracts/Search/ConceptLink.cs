using System.Text.Json.Serialization;

namespace MediaGateway.Contracts.Search;

/// <summary>An edge's other end: enough to show it and to look it up.</summary>
public sealed record ConceptLink([property: JsonPropertyName("id")] string Id, [property: JsonPropertyName("prefLabel")] string PrefLabel);
