namespace MediaGateway.Engine.Ontology;

/// <summary>
/// A SKOS concept: a preferred label, alternative labels (the everyday words that name it), a short
/// definition, its scheme ("genre", "mood"…) and its edges. <see cref="Facets"/> are the catalog values the
/// concept stands for (Black Comedy → genre = Black Comedy); <see cref="Years"/> the release years an era
/// covers. A concept with neither (a mood, a theme) still matches through its edges and its words.
/// </summary>
public sealed record Concept
{
    public required string Id { get; init; }
    public required string Scheme { get; init; }
    public required string PrefLabel { get; init; }
    public IReadOnlyList<string> AltLabels { get; init; } = [];
    public string Definition { get; init; } = "";
    public IReadOnlyList<string> Broader { get; init; } = [];
    public IReadOnlyList<string> Narrower { get; init; } = [];
    public IReadOnlyList<string> Related { get; init; } = [];
    public IReadOnlyList<FacetValue> Facets { get; init; } = [];
    /// <summary>Inclusive release-year span of an era concept ("1980s" → 1980–1989); null for others.</summary>
    public (int From, int To)? Years { get; init; }

    public IEnumerable<string> Labels => AltLabels.Prepend(PrefLabel);
}
