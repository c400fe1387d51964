using System.Globalization;
using System.Text.Json;
using MediaGateway.Contracts.Search;
using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Ontology;
using MediaGateway.Engine.Query;

namespace MediaGateway.Engine.Pipeline;

/// <summary>
/// The discovery requests that need neither the model nor the index: one item's facts
/// (<c>GET /api/v1/media/{id}</c>) and concepts found by their labels (<c>GET /api/v1/concepts?q=</c>).
/// They are answered by the runner, which holds the catalog and the ontology store, like every other request.
/// </summary>
public sealed class DiscoveryLookup(ICatalogStore catalog, IOntologyStore ontology)
{
    /// <summary>The answer when <paramref name="query"/> is a lookup; null when it must be searched.</summary>
    public SearchResponse? TryAnswer(EngineQuery query) => query.Request.Discovery?.Kind switch
    {
        DiscoveryKinds.Item => Item(query),
        DiscoveryKinds.Concepts => Concepts(query),
        _ => null,
    };

    private SearchResponse Item(EngineQuery query)
    {
        var id = query.Request.Discovery!.ItemId ?? "";
        if (!catalog.TryGetRow(id, out var row)) return Empty(query) with { Unknown = [new UnknownReference("id", id)] };
        return Empty(query) with { Item = Details(catalog[row]), Candidates = 1 };
    }

    public static MediaDetails Details(CatalogItem item) => new()
    {
        Id = item.Id,
        Title = item.Title,
        Kind = item.Kind,
        Year = item.Year,
        ReleaseDate = item.ReleaseDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        Genres = item.Genres,
        CreativeType = item.CreativeType,
        Source = item.Source,
        Director = item.Director,
        MpaaRating = item.MpaaRating,
        RuntimeMinutes = item.RuntimeMinutes,
        ImdbRating = item.ImdbRating,
        ImdbVotes = item.ImdbVotes,
        Description = item.Description,
        Attributes = item.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).ToDictionary(a => a.Key, a => a.Value.Kind switch
        {
            AttributeKind.Number => JsonSerializer.SerializeToElement(a.Value.Number),
            _ => JsonSerializer.SerializeToElement(a.Value.ToString()),
        }),
        Flags = item.Flags,
    };

    /// <summary>
    /// Concepts whose labels match the words, best first: a label equal to them, then a label starting with
    /// them, then a label or id containing them, then a definition containing them. Ties by preferred label.
    /// </summary>
    private SearchResponse Concepts(EngineQuery query)
    {
        var q = QueryText.Words(query.Request.Query ?? "");
        var limit = query.Request.Limit ?? SearchLimits.DefaultLimit;
        var found = new List<(Concept Concept, int Rank, string How)>();
        if (q.Length > 0)
            foreach (var concept in ontology.Concepts)
                if (Match(concept, q) is { } m) found.Add((concept, m.Rank, m.How));
        var views = found.OrderBy(f => f.Rank).ThenBy(f => f.Concept.PrefLabel, StringComparer.OrdinalIgnoreCase).ThenBy(f => f.Concept.Id, StringComparer.Ordinal)
            .Take(limit).Select(f => View(f.Concept, f.How)).ToArray();
        return Empty(query) with { Concepts = views, Candidates = found.Count };
    }

    private static (int Rank, string How)? Match(Concept concept, string q)
    {
        var labels = concept.Labels.Select(QueryText.Words).ToArray();
        if (labels.Any(l => l == q || ConceptLabels.Singular(l) == ConceptLabels.Singular(q))) return (0, "exact");
        if (labels.Any(l => l.StartsWith(q, StringComparison.Ordinal))) return (1, "prefix");
        if (labels.Any(l => l.Contains(q, StringComparison.Ordinal)) || concept.Id.Contains(q, StringComparison.OrdinalIgnoreCase)) return (2, "contains");
        if (QueryText.Words(concept.Definition).Contains(q, StringComparison.Ordinal)) return (3, "definition");
        return null;
    }

    private ConceptView View(Concept c, string how) => new()
    {
        Id = c.Id,
        Scheme = c.Scheme,
        PrefLabel = c.PrefLabel,
        AltLabels = c.AltLabels,
        Definition = c.Definition,
        Broader = Links(c.Broader),
        Narrower = Links(c.Narrower),
        Related = Links(c.Related),
        CatalogValues = c.Facets.Select(f => f.ToString()).Concat(c.Years is { } y ? [$"year {y.From}–{y.To}"] : []).ToArray(),
        Matched = how,
    };

    private ConceptLink[] Links(IEnumerable<string> ids) =>
        ids.Select(id => new ConceptLink(id, ontology.Find(id)?.PrefLabel ?? id)).ToArray();

    private static SearchResponse Empty(EngineQuery query) => new()
    {
        JobId = query.JobId,
        Query = query.Request.Query ?? "",
        Results = [],
        CompletedAt = DateTimeOffset.UtcNow,
    };
}
