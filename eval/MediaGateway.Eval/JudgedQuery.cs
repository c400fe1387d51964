using System.Text.Json;
using System.Text.Json.Serialization;
using MediaGateway.Engine.Catalog;

namespace MediaGateway.Eval;

/// <summary>
/// One judged query. Relevance is derived from catalog metadata, never hand-picked: an item is relevant
/// (grade 1) when it satisfies <see cref="Must"/>, and highly relevant (grade 2) when it also satisfies
/// <see cref="Ideal"/>; when there is no ideal, every relevant item has grade 1.
/// </summary>
public sealed record JudgedQuery
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    /// <summary>"tune" (rules and weights may be adjusted while looking at it) or "heldout" (reported, never tuned on).</summary>
    [JsonPropertyName("half")] public required string Half { get; init; }
    [JsonPropertyName("capability")] public required string Capability { get; init; }
    [JsonPropertyName("query")] public required string Query { get; init; }
    [JsonPropertyName("must")] public required Condition Must { get; init; }
    [JsonPropertyName("ideal")] public Condition? Ideal { get; init; }

    public int Grade(CatalogItem item) => !Must.Holds(item) ? 0 : Ideal is null ? 1 : Ideal.Holds(item) ? 2 : 1;

    public static IReadOnlyList<JudgedQuery> Load(string path) =>
        File.ReadLines(path).Where(l => !string.IsNullOrWhiteSpace(l))
            .Select(l => JsonSerializer.Deserialize<JudgedQuery>(l) ?? throw new InvalidDataException($"Bad line in {path}: {l}")).ToArray();

    /// <summary>The judged set shipped in the repository (eval/judged-queries.jsonl).</summary>
    public static string DefaultPath(string repositoryRoot) => Path.Combine(repositoryRoot, "eval", "judged-queries.jsonl");
}
