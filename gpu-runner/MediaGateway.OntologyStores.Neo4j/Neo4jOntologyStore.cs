using System.Diagnostics;
using System.Text.Json.Nodes;
using MediaGateway.Engine.Ontology;
using MediaGateway.Engine.VectorStores;
using Microsoft.Extensions.Caching.Memory;

namespace MediaGateway.OntologyStores.Neo4j;

/// <summary>
/// The engine's <see cref="IOntologyStore"/> in Neo4j. <see cref="Concepts"/> is read once at start (the planner
/// builds its label index from it); <see cref="ExpandManyAsync"/> fetches the neighbourhood of a whole batch's
/// concepts in one Query API request and expands each with the engine's <see cref="ConceptExpander"/> (the
/// embedded store's code, hence the same weights and paths); answers are kept, bounded in count and age
/// (<see cref="Neo4jOptions.ExpansionCacheEntries"/>, <see cref="Neo4jOptions.ExpansionCacheTtl"/>), so the
/// planner's <see cref="Expand"/> in the same batch costs no round trip.
/// </summary>
public sealed class Neo4jOntologyStore : IOntologyStore, IDisposable
{
    private readonly Neo4jQueryClient _client;
    private readonly Neo4jOptions _options;
    private readonly string _catalog;
    private readonly MemoryCache _expansions;

    internal Neo4jOntologyStore(Neo4jQueryClient client, Neo4jOptions options, IReadOnlyList<Concept> concepts, string version, string catalog)
    {
        (_client, _options, Concepts, Version, _catalog) = (client, options, concepts, version, catalog);
        _expansions = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.ExpansionCacheEntries) });
    }

    public IReadOnlyList<Concept> Concepts { get; }

    /// <summary>The ontology version (a hash of the loaded file's concepts and edges) this store was opened on.</summary>
    public string Version { get; }

    public string Kind => "neo4j";

    /// <summary>One round trip (the seam is synchronous; the engine itself does not call it while searching).</summary>
    public Concept? Find(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var rows = _client.RunAsync(Neo4jStatements.FindConcepts, new JsonObject { ["ids"] = new JsonArray(id) }, CancellationToken.None).GetAwaiter().GetResult();
        return rows.Count == 0 ? null : Neo4jConceptRows.FromRow(rows[0]);
    }

    public IReadOnlyList<ConceptExpansion> Expand(string id, int maxDepth = ExpansionWeights.MaxDepth)
    {
        ArgumentNullException.ThrowIfNull(id);
        ConceptExpander.CheckDepth(maxDepth);
        if (_expansions.TryGetValue(Key(id, maxDepth), out Cached? hit)) return hit!.Expansion ?? [];
        // Not fetched for this batch (a caller outside the engine's batch path): one round trip for this concept.
        var found = ExpandManyAsync([id], maxDepth).GetAwaiter().GetResult();
        return found.TryGetValue(id, out var expansion) ? expansion : [];
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<ConceptExpansion>>> ExpandManyAsync(IReadOnlyCollection<string> ids,
        int maxDepth = ExpansionWeights.MaxDepth, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ConceptExpander.CheckDepth(maxDepth);
        var answer = new Dictionary<string, IReadOnlyList<ConceptExpansion>>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            if (!_expansions.TryGetValue(Key(id, maxDepth), out Cached? hit)) missing.Add(id);
            else if (hit!.Expansion is { } e) answer[id] = e;
        }
        foreach (var chunk in missing.Chunk(Math.Max(1, _options.MaxIdsPerRequest)))
        {
            var rows = await _client.RunAsync(Neo4jStatements.ReadNeighbourhood, new JsonObject { ["ids"] = Strings(chunk) }, cancellationToken).ConfigureAwait(false);
            var near = new Dictionary<string, Concept>(StringComparer.Ordinal);
            foreach (var row in rows)
            {
                var concept = Neo4jConceptRows.FromRow(row);
                near[concept.Id] = concept;
            }
            foreach (var id in chunk)
            {
                IReadOnlyList<ConceptExpansion>? expansion = near.TryGetValue(id, out var start)
                    ? ConceptExpander.Expand(start, n => near.TryGetValue(n, out var c) ? c
                        : throw new InvalidDataException($"Neo4j's neighbourhood of {id} lacks {n}, which its edges name."), maxDepth)
                    : null; // unknown: remembered too, so asking again costs nothing
                _expansions.Set(Key(id, maxDepth), new Cached(expansion), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _options.ExpansionCacheTtl });
                if (expansion is not null) answer[id] = expansion;
            }
        }
        return answer;
    }

    /// <summary>The concepts each item of this store's catalog carries (the item → concept edges loaded at start), in one round trip.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> ItemConceptsAsync(IReadOnlyCollection<string> itemIds, CancellationToken cancellationToken = default)
    {
        var keys = Strings(itemIds.Distinct(StringComparer.Ordinal).Select(id => Neo4jStatements.ItemKey(_catalog, id)));
        var rows = await _client.RunAsync(Neo4jStatements.ReadItemConcepts, new JsonObject { ["keys"] = keys }, cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(r => r["id"]!.GetValue<string>(),
            r => (IReadOnlyList<string>)(r["concepts"] as JsonArray ?? []).Select(c => c!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
    }

    public async Task<DependencyCheck> CheckAsync(CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var rows = await _client.RunAsync(Neo4jStatements.ReadOntologyVersion, new JsonObject { ["name"] = Neo4jStatements.OntologyName }, cancellationToken).ConfigureAwait(false);
            var ms = Math.Round(clock.Elapsed.TotalMilliseconds, 1);
            var hash = rows.Count > 0 && rows[0]["hash"] is JsonValue v && v.TryGetValue(out string? h) ? h : null;
            return hash switch
            {
                null => new DependencyCheck("neo4j", false, ms, $"database {_options.Database} at {_client.Endpoint} holds no ontology: restart the runner to load it"),
                _ when hash == Version => new DependencyCheck("neo4j", true, ms, $"ontology {Version} ({Concepts.Count} concepts) in database {_options.Database} at {_client.Endpoint}"),
                _ => new DependencyCheck("neo4j", true, ms, $"database {_options.Database} at {_client.Endpoint} holds ontology {hash}, not {Version} as loaded at start (another runner loaded another file?)"),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new DependencyCheck("neo4j", false, Math.Round(clock.Elapsed.TotalMilliseconds, 1), $"Neo4j at {_client.Endpoint} does not answer: {e.Message}");
        }
    }

    public void Dispose() => _expansions.Dispose();

    internal static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    private static string Key(string id, int depth) => $"{depth}|{id}";

    /// <summary>A kept answer; <see cref="Expansion"/> null for an id Neo4j does not hold.</summary>
    private sealed record Cached(IReadOnlyList<ConceptExpansion>? Expansion);
}
