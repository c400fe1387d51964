namespace MediaGateway.Engine.Ontology;

/// <summary>
/// The one implementation of concept expansion, shared by every <see cref="IOntologyStore"/> so that they rank
/// alike: the embedded <see cref="ConceptGraph"/> walks its whole graph with it, a server store (Neo4j) walks
/// the neighbourhood it fetched for a batch. Weights are <see cref="ExpansionWeights"/>: the concept 1; narrower
/// × <see cref="ExpansionWeights.NarrowerDecay"/> per level (breadth first, best weight kept); related one step
/// <see cref="ExpansionWeights.Related"/>; and, only when nothing at or below the concept names a catalog value,
/// the nearest broader concepts that do, <see cref="ExpansionWeights.Broader"/> × decay per extra level.
/// </summary>
public static class ConceptExpander
{
    /// <summary>Checks a depth the way every store must: 0 (the concept alone) to <see cref="ExpansionWeights.MaxDepth"/>.</summary>
    public static void CheckDepth(int maxDepth)
    {
        if (maxDepth is < 0 or > ExpansionWeights.MaxDepth)
            throw new ArgumentOutOfRangeException(nameof(maxDepth), maxDepth, $"The expansion depth must be 0–{ExpansionWeights.MaxDepth}.");
    }

    /// <param name="start">The concept to expand.</param>
    /// <param name="lookup">Every concept within <paramref name="maxDepth"/> edges of <paramref name="start"/> by id (a store may hold only that neighbourhood).</param>
    /// <returns>The concept itself first (weight 1), then what it reaches, best weight first (ties by id); each concept once.</returns>
    public static IReadOnlyList<ConceptExpansion> Expand(Concept start, Func<string, Concept> lookup, int maxDepth = ExpansionWeights.MaxDepth)
    {
        CheckDepth(maxDepth);
        var best = new Dictionary<string, ConceptExpansion>(StringComparer.Ordinal)
        {
            [start.Id] = new(start, 1, ConceptRelation.Exact, [start.PrefLabel]),
        };
        // Down the narrower edges, breadth first, weight × decay per level.
        var frontier = new List<ConceptExpansion> { best[start.Id] };
        for (var depth = 1; depth <= maxDepth && frontier.Count > 0; depth++)
        {
            var next = new List<ConceptExpansion>();
            foreach (var e in frontier)
            foreach (var n in e.Concept.Narrower)
            {
                var concept = lookup(n);
                var candidate = new ConceptExpansion(concept, e.Weight * ExpansionWeights.NarrowerDecay, ConceptRelation.Narrower, [.. e.Path, concept.PrefLabel]);
                if (Offer(best, candidate)) next.Add(candidate);
            }
            frontier = next;
        }
        foreach (var r in start.Related)
        {
            var concept = lookup(r);
            Offer(best, new ConceptExpansion(concept, ExpansionWeights.Related, ConceptRelation.Related, [start.PrefLabel, concept.PrefLabel]));
        }
        // A concept that names no catalog value, and has nothing below it that does (Slasher), stands for its
        // nearest broader concepts that do (Horror): "Slasher → Horror".
        if (!best.Values.Any(e => e.Relation is ConceptRelation.Exact or ConceptRelation.Narrower && Names(e.Concept)))
        {
            var up = new List<(Concept Concept, List<string> Path)> { (start, [start.PrefLabel]) };
            for (var depth = 1; depth <= maxDepth && up.Count > 0; depth++)
            {
                var found = false;
                var next = new List<(Concept, List<string>)>();
                foreach (var (c, path) in up)
                foreach (var b in c.Broader)
                {
                    var concept = lookup(b);
                    var p = new List<string>(path) { concept.PrefLabel };
                    if (Names(concept))
                        found |= Offer(best, new ConceptExpansion(concept, ExpansionWeights.Broader * Math.Pow(ExpansionWeights.NarrowerDecay, depth - 1), ConceptRelation.Broader, p));
                    else next.Add((concept, p));
                }
                if (found) break;
                up = next;
            }
        }
        return best.Values.OrderByDescending(e => e.Weight).ThenBy(e => e.Concept.Id, StringComparer.Ordinal).ToArray();
    }

    /// <summary>True when the concept stands for catalog values (facets) or release years.</summary>
    public static bool Names(Concept c) => c.Facets.Count > 0 || c.Years is not null;

    private static bool Offer(Dictionary<string, ConceptExpansion> best, ConceptExpansion candidate)
    {
        if (best.TryGetValue(candidate.Concept.Id, out var existing) && existing.Weight >= candidate.Weight) return false;
        best[candidate.Concept.Id] = candidate;
        return true;
    }
}
