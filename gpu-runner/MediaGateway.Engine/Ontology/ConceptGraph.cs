using MediaGateway.Engine.VectorStores;

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
        ConceptExpander.CheckDepth(maxDepth);
        return _byId.TryGetValue(id, out var start) ? ConceptExpander.Expand(start, n => _byId[n], maxDepth) : [];
    }

    public Task<IReadOnlyDictionary<string, IReadOnlyList<ConceptExpansion>>> ExpandManyAsync(IReadOnlyCollection<string> ids,
        int maxDepth = ExpansionWeights.MaxDepth, CancellationToken cancellationToken = default)
    {
        ConceptExpander.CheckDepth(maxDepth);
        var found = new Dictionary<string, IReadOnlyList<ConceptExpansion>>(StringComparer.Ordinal);
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
            if (_byId.TryGetValue(id, out var start)) found[id] = ConceptExpander.Expand(start, n => _byId[n], maxDepth);
        return Task.FromResult<IReadOnlyDictionary<string, IReadOnlyList<ConceptExpansion>>>(found);
    }

    public string Kind => "embedded";

    public Task<DependencyCheck> CheckAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new DependencyCheck("ontologyStore", true, 0, $"embedded, {Concepts.Count} concepts in memory"));

    private void CheckNoCycle(string id, List<string> path)
    {
        if (path.Contains(id)) throw new InvalidDataException($"The broader edges form a cycle: {string.Join(" → ", path)} → {id}.");
        path.Add(id);
        foreach (var b in _byId[id].Broader) CheckNoCycle(b, path);
        path.RemoveAt(path.Count - 1);
    }
}
