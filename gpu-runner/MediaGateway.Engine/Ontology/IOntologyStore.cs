namespace MediaGateway.Engine.Ontology;

/// <summary>
/// The concept graph the engine reads. Three operations, so that another store (the planned Neo4j adapter,
/// over the Query API) can implement it without knowing how the engine uses it:
/// <list type="bullet">
/// <item><see cref="Concepts"/>: every concept, read once at start-up to build the label and vector matchers;</item>
/// <item><see cref="Find"/>: one concept by id;</item>
/// <item><see cref="Expand"/>: a concept with its narrower (any depth), related (one step) and, when nothing
/// below it names a catalog value, its nearest broader concepts, each with a weight that decays with distance.</item>
/// </list>
/// Weights: exact 1; narrower <see cref="ExpansionWeights.NarrowerDecay"/> per level; related
/// <see cref="ExpansionWeights.Related"/>; broader <see cref="ExpansionWeights.Broader"/> (docs/ontology.md).
/// </summary>
public interface IOntologyStore
{
    IReadOnlyList<Concept> Concepts { get; }

    Concept? Find(string id);

    /// <summary>The concept itself first (weight 1), then what it reaches, best weight first; each concept once.</summary>
    IReadOnlyList<ConceptExpansion> Expand(string id, int maxDepth = ExpansionWeights.MaxDepth);
}

/// <summary>The decay of concept expansion, shared by every <see cref="IOntologyStore"/> so that stores agree.</summary>
public static class ExpansionWeights
{
    public const double NarrowerDecay = 0.8;
    public const double Related = 0.5;
    public const double Broader = 0.6;
    public const int MaxDepth = 3;
}
