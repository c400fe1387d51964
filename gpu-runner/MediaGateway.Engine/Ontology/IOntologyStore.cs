namespace MediaGateway.Engine.Ontology;

/// <summary>
/// The concept graph the engine reads, so that another store (the Neo4j adapter, over the Query API) can
/// implement it without knowing how the engine uses it:
/// <list type="bullet">
/// <item><see cref="Concepts"/>: every concept, read once at start-up to build the label and vector matchers;</item>
/// <item><see cref="Find"/>: one concept by id;</item>
/// <item><see cref="Expand"/>: a concept with its narrower (any depth), related (one step) and, when nothing
/// below it names a catalog value, its nearest broader concepts, each with a weight that decays with distance.</item>
/// <item><see cref="ExpandManyAsync"/>: the same for many concepts at once; the engine calls it once per search
/// batch before planning, so a server store answers a batch in one round trip instead of one per concept.</item>
/// <item><see cref="CheckAsync"/>: the store's state and latency, for the health report.</item>
/// </list>
/// Every store expands with <see cref="ConceptExpander"/>, so equal graphs give equal expansions.
/// Weights: exact 1; narrower <see cref="ExpansionWeights.NarrowerDecay"/> per level; related
/// <see cref="ExpansionWeights.Related"/>; broader <see cref="ExpansionWeights.Broader"/> (docs/ontology.md).
/// </summary>
public interface IOntologyStore
{
    IReadOnlyList<Concept> Concepts { get; }

    Concept? Find(string id);

    /// <summary>The concept itself first (weight 1), then what it reaches, best weight first; each concept once.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDepth"/> is outside 0–<see cref="ExpansionWeights.MaxDepth"/>.</exception>
    IReadOnlyList<ConceptExpansion> Expand(string id, int maxDepth = ExpansionWeights.MaxDepth);

    /// <summary>
    /// <see cref="Expand"/> for each distinct id, in one call (one round trip for a server store); unknown ids
    /// are left out of the answer. A store may keep the answers, bounded, for <see cref="Expand"/> to use.
    /// </summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<ConceptExpansion>>> ExpandManyAsync(IReadOnlyCollection<string> ids,
        int maxDepth = ExpansionWeights.MaxDepth, CancellationToken cancellationToken = default);

    /// <summary>"embedded" or the server's name ("neo4j").</summary>
    string Kind { get; }

    /// <summary>Whether the store answers, how fast, and what is wrong if not.</summary>
    Task<VectorStores.DependencyCheck> CheckAsync(CancellationToken cancellationToken = default);
}

/// <summary>The decay of concept expansion, shared by every <see cref="IOntologyStore"/> so that stores agree.</summary>
public static class ExpansionWeights
{
    public const double NarrowerDecay = 0.8;
    public const double Related = 0.5;
    public const double Broader = 0.6;
    public const int MaxDepth = 3;
}
