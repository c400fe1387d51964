namespace MediaGateway.Engine.Ontology;

/// <summary>How a concept was reached from the one asked for.</summary>
public enum ConceptRelation
{
    /// <summary>The concept itself.</summary>
    Exact,
    /// <summary>Below it (skos:narrower, any depth): Slasher for Horror.</summary>
    Narrower,
    /// <summary>Above it (skos:broader), used only when the concept and everything below it name no catalog value.</summary>
    Broader,
    /// <summary>Beside it (skos:related, one step).</summary>
    Related,
}

/// <summary>
/// A concept reached by expanding another, with a weight in (0, 1] that falls with distance, and the path of
/// preferred labels that explains it ("Horror → Slasher").
/// </summary>
public sealed record ConceptExpansion(Concept Concept, double Weight, ConceptRelation Relation, IReadOnlyList<string> Path)
{
    public string PathText => string.Join(" → ", Path);
}
