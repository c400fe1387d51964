using System.Text.Json.Nodes;
using MediaGateway.Engine.Ontology;

namespace MediaGateway.OntologyStores.Neo4j;

/// <summary>Concepts to and from the property maps of <see cref="Neo4jStatements"/> (list properties hold labels and facets, as Neo4j properties cannot be maps).</summary>
internal static class Neo4jConceptRows
{
    public static JsonObject ToRow(Concept c, int ord) => new()
    {
        ["id"] = c.Id,
        ["scheme"] = c.Scheme,
        ["prefLabel"] = c.PrefLabel,
        ["altLabels"] = Strings(c.AltLabels),
        ["definition"] = c.Definition,
        ["facetFields"] = Strings(c.Facets.Select(f => FacetValue.NameOf(f.Field))),
        ["facetValues"] = Strings(c.Facets.Select(f => f.Value)),
        ["yearFrom"] = c.Years?.From,
        ["yearTo"] = c.Years?.To,
        ["ord"] = ord,
    };

    public static Concept FromRow(JsonObject row)
    {
        var id = Text(row, "id") ?? throw new InvalidDataException("Neo4j returned a concept without an id.");
        var fields = List(row, "facetFields");
        var values = List(row, "facetValues");
        if (fields.Count != values.Count) throw new InvalidDataException($"Concept {id} in Neo4j has {fields.Count} facet fields but {values.Count} values.");
        var facets = new List<FacetValue>();
        for (var i = 0; i < fields.Count; i++)
        {
            if (!FacetValue.TryParseField(fields[i], out var field)) throw new InvalidDataException($"Concept {id} in Neo4j names an unknown facet field '{fields[i]}'.");
            facets.Add(new FacetValue(field, values[i]));
        }
        var from = Number(row, "yearFrom");
        var to = Number(row, "yearTo");
        return new Concept
        {
            Id = id,
            Scheme = Text(row, "scheme") ?? "",
            PrefLabel = Text(row, "prefLabel") ?? id,
            AltLabels = List(row, "altLabels"),
            Definition = Text(row, "definition") ?? "",
            // The same order the embedded graph gives its edges, so equal graphs give equal concepts.
            Broader = List(row, "broader").Distinct().Order(StringComparer.Ordinal).ToArray(),
            Narrower = List(row, "narrower").Distinct().Order(StringComparer.Ordinal).ToArray(),
            Related = List(row, "related").Where(r => r != id).Distinct().Order(StringComparer.Ordinal).ToArray(),
            Facets = facets,
            Years = from is { } f && to is { } t ? (f, t) : null,
        };
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    private static string? Text(JsonObject row, string name) => row[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    private static int? Number(JsonObject row, string name) => row[name] is JsonValue v && v.TryGetValue(out double d) ? (int)d : null;

    private static IReadOnlyList<string> List(JsonObject row, string name) =>
        row[name] is JsonArray a ? a.Select(x => x?.GetValue<string>() ?? "").ToArray() : [];
}
