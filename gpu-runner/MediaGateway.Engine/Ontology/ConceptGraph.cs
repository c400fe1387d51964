namespace MediaGateway.Engine.Ontology;

/// <summary>
/// The embedded <see cref="IOntologyStore"/>: the SKOS file loaded into memory as a graph. The file need only
/// state each edge once: <c>narrower</c> is derived from <c>broader</c> (and the reverse), <c>related</c> is
/// made symmetric. Every edge must name a concept of the file, and the broader edges must not form a cycle.
/// </summary>
public sealed class ConceptGraph : IOntologyStore
{
    public const string ResourceName = "ontology.jsonld";

    private readonly Dictionary<string, Concept> _byId;

    public ConceptGraph(IEnumerable<Concept> concepts)
    {
        var list = concepts.ToList();
        var byId = new Dictionary<string, Concept>(StringComparer.Ordinal);
        foreach (var c in list)
            if (!byId.TryAdd(c.Id, c)) throw new InvalidDataException($"Concept {c.Id} is defined twice.");
        var broader = list.ToDictionary(c => c.Id, c => new HashSet<string>(c.Broader, StringComparer.Ordinal));
        var narrower = list.ToDictionary(c => c.Id, c => new HashSet<string>(c.Narrower, StringComparer.Ordinal));
        var related = list.ToDictionary(c => c.Id, c => new HashSet<string>(c.Related, StringComparer.Ordinal));
        foreach (var c in list)
        {
            foreach (var b in c.Broader) Edge(c.Id, b, "broader", narrower).Add(c.Id);
            foreach (var n in c.Narrower) Edge(c.Id, n, "narrower", broader).Add(c.Id);
            foreach (var r in c.Related) Edge(c.Id, r, "related", related).Add(c.Id);
        }
        HashSet<string> Edge(string from, string to, string kind, Dictionary<string, HashSet<string>> inverse) =>
            inverse.TryGetValue(to, out var set) ? set : throw new InvalidDataException($"Concept {from}: {kind} names unknown concept {to}.");

        _byId = list.ToDictionary(c => c.Id, c => c with
        {
            Broader = broader[c.Id].Order(StringComparer.Ordinal).ToArray(),
            Narrower = narrower[c.Id].Order(StringComparer.Ordinal).ToArray(),
            Related = related[c.Id].Where(r => r != c.Id).Order(StringComparer.Ordinal).ToArray(),
        }, StringComparer.Ordinal);
        Concepts = list.Select(c => _byId[c.Id]).ToArray();
        foreach (var c in Concepts) CheckNoCycle(c.Id, []);
    }

    /// <summary>The ontology shipped in the repository (embedded in the engine assembly).</summary>
    public static ConceptGraph LoadEmbedded()
    {
        using var stream = typeof(ConceptGraph).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        return new ConceptGraph(SkosJsonLdReader.Read(stream));
    }

    public IReadOnlyList<Concept> Concepts { get; }

    public Concept? Find(string id) => _byId.GetValueOrDefault(id);

    public IReadOnlyList<ConceptExpansion> Expand(string id, int maxDepth = ExpansionWeights.MaxDepth)
    {
        if (!_byId.TryGetValue(id, out var start)) return [];
        var best = new Dictionary<string, ConceptExpansion>(StringComparer.Ordinal)
        {
            [id] = new(start, 1, ConceptRelation.Exact, [start.PrefLabel]),
        };
        // Down the narrower edges, breadth first, weight × decay per level.
        var frontier = new List<ConceptExpansion> { best[id] };
        for (var depth = 1; depth <= maxDepth && frontier.Count > 0; depth++)
        {
            var next = new List<ConceptExpansion>();
            foreach (var e in frontier)
            foreach (var n in e.Concept.Narrower)
            {
                var candidate = new ConceptExpansion(_byId[n], e.Weight * ExpansionWeights.NarrowerDecay, ConceptRelation.Narrower, [.. e.Path, _byId[n].PrefLabel]);
                if (Offer(best, candidate)) next.Add(candidate);
            }
            frontier = next;
        }
        foreach (var r in start.Related)
            Offer(best, new ConceptExpansion(_byId[r], ExpansionWeights.Related, ConceptRelation.Related, [start.PrefLabel, _byId[r].PrefLabel]));
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
                    var concept = _byId[b];
                    var p = new List<string>(path) { concept.PrefLabel };
                    if (Names(concept))
                    {
                        found |= Offer(best, new ConceptExpansion(concept, ExpansionWeights.Broader * Math.Pow(ExpansionWeights.NarrowerDecay, depth - 1), ConceptRelation.Broader, p));
                    }
                    else next.Add((concept, p));
                }
                if (found) break;
                up = next;
            }
        }
        return best.Values.OrderByDescending(e => e.Weight).ThenBy(e => e.Concept.Id, StringComparer.Ordinal).ToArray();
    }

    private static bool Names(Concept c) => c.Facets.Count > 0 || c.Years is not null;

    private static bool Offer(Dictionary<string, ConceptExpansion> best, ConceptExpansion candidate)
    {
        if (best.TryGetValue(candidate.Concept.Id, out var existing) && existing.Weight >= candidate.Weight) return false;
        best[candidate.Concept.Id] = candidate;
        return true;
    }

    private void CheckNoCycle(string id, List<string> path)
    {
        if (path.Contains(id)) throw new InvalidDataException($"The broader edges form a cycle: {string.Join(" → ", path)} → {id}.");
        path.Add(id);
        foreach (var b in _byId[id].Broader) CheckNoCycle(b, path);
        path.RemoveAt(path.Count - 1);
    }
}
