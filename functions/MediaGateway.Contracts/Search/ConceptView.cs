using System.Text.Json.Serialization;

namespace MediaGateway.Contracts.Search;

/// <summary>An ontology concept as <c>GET /api/v1/concepts</c> returns it: its labels, definition and edges.</summary>
public sealed record ConceptView
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("scheme")] public required string Scheme { get; init; }
    [JsonPropertyName("prefLabel")] public required string PrefLabel { get; init; }
    [JsonPropertyName("altLabels")] public IReadOnlyList<string> AltLabels { get; init; } = [];
    [JsonPropertyName("definition")] public string Definition { get; init; } = "";
    [JsonPropertyName("broader")] public IReadOnlyList<ConceptLink> Broader { get; init; } = [];
    [JsonPropertyName("narrower")] public IReadOnlyList<ConceptLink> Narrower { get; init; } = [];
    [JsonPropertyName("related")] public IReadOnlyList<ConceptLink> Related { get; init; } = [];
    /// <summary>The catalog values the concept stands for, e.g. "genre = Black Comedy".</summary>
    [JsonPropertyName("catalogValues")] public IReadOnlyList<string> CatalogValues { get; init; } = [];
    /// <summary>Which label matched the query and how: "exact", "prefix", "contains" or "definition".</summary>
    [JsonPropertyName("matched")] public string? Matched { get; init; }
}
