using System.Text.Json;

namespace MediaGateway.Engine.Ontology;

/// <summary>
/// Reads the SKOS concept scheme from its JSON-LD file (Ontology/Data/ontology.jsonld) with System.Text.Json.
/// It reads the compacted form that file is written in (the terms of its own <c>@context</c>: prefLabel,
/// altLabel, definition, inScheme, broader, narrower, related, facet, years); it is not a general JSON-LD
/// processor, and says which node and property are wrong rather than guessing.
/// </summary>
public static class SkosJsonLdReader
{
    public static IReadOnlyList<Concept> Read(Stream stream)
    {
        using var doc = JsonDocument.Parse(stream);
        if (!doc.RootElement.TryGetProperty("@graph", out var graph) || graph.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException("The ontology has no @graph array.");
        var concepts = new List<Concept>();
        foreach (var node in graph.EnumerateArray())
        {
            var id = String(node, "@id") ?? throw new InvalidDataException("An ontology node has no @id.");
            var types = Strings(node, "@type");
            if (!types.Contains("skos:Concept")) continue; // schemes and anything else
            var facets = new List<FacetValue>();
            if (node.TryGetProperty("facet", out var fs))
            {
                foreach (var f in fs.ValueKind == JsonValueKind.Array ? fs.EnumerateArray().ToArray() : [fs])
                {
                    var field = String(f, "field");
                    var value = String(f, "value");
                    if (field is null || value is null || !FacetValue.TryParseField(field, out var facetField))
                        throw new InvalidDataException($"Concept {id}: facet needs a known 'field' and a 'value' (got {f.GetRawText()}).");
                    facets.Add(new FacetValue(facetField, value));
                }
            }
            (int, int)? years = null;
            if (node.TryGetProperty("years", out var ys))
            {
                if (ys.ValueKind != JsonValueKind.Array || ys.GetArrayLength() != 2 || !ys[0].TryGetInt32(out var from) || !ys[1].TryGetInt32(out var to) || from > to)
                    throw new InvalidDataException($"Concept {id}: 'years' must be [from, to].");
                years = (from, to);
            }
            concepts.Add(new Concept
            {
                Id = id,
                Scheme = (String(node, "inScheme") ?? throw new InvalidDataException($"Concept {id} has no inScheme.")).Replace("scheme:", ""),
                PrefLabel = String(node, "prefLabel") ?? throw new InvalidDataException($"Concept {id} has no prefLabel."),
                AltLabels = Strings(node, "altLabel"),
                Definition = String(node, "definition") ?? "",
                Broader = Strings(node, "broader"),
                Narrower = Strings(node, "narrower"),
                Related = Strings(node, "related"),
                Facets = facets,
                Years = years,
            });
        }
        return concepts;
    }

    private static string? String(JsonElement node, string name) =>
        node.TryGetProperty(name, out var e) ? e.ValueKind switch
        {
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Object => e.TryGetProperty("@value", out var v) ? v.GetString() : e.TryGetProperty("@id", out var i) ? i.GetString() : null,
            _ => null,
        } : null;

    private static string[] Strings(JsonElement node, string name)
    {
        if (!node.TryGetProperty(name, out var e)) return [];
        if (e.ValueKind != JsonValueKind.Array) return String(node, name) is { } one ? [one] : [];
        return e.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : x.TryGetProperty("@id", out var i) ? i.GetString() : x.TryGetProperty("@value", out var v) ? v.GetString() : null)
            .OfType<string>().ToArray();
    }
}
