using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using MediaGateway.Contracts.Batches;
using MediaGateway.Contracts.Imports;
using MediaGateway.Contracts.Search;

namespace MediaGateway.Functions.OpenApi;

/// <summary>
/// The size bounds of the request bodies, written into their generated schemas (maxLength, maxItems, minimum, ...).
/// The exporter sees only the types, not the validators, so each bound is listed here from the same constant its
/// validator enforces; <c>OpenApiDocumentTests</c> reads them back and compares them with the constants.
/// </summary>
internal static class SchemaBounds
{
    private sealed record Bound(int? MinLength = null, int? MaxLength = null, int? MinItems = null, int? MaxItems = null,
        int? Minimum = null, int? Maximum = null, Bound? Items = null);

    private static readonly Bound Limit = new(Minimum: 1, Maximum: SearchLimits.MaxLimit);
    private static readonly Bound FilterValues = new(MinItems: 1, MaxItems: SearchLimits.MaxFilterValues, Items: new(MinLength: 1, MaxLength: SearchLimits.MaxFilterValueLength));
    private static readonly Bound ItemIds = new(MaxItems: SearchLimits.MaxRecommendationInputs, Items: new(MinLength: 1, MaxLength: SearchLimits.MaxItemIdLength));

    private static readonly Dictionary<(Type Type, string Property), Bound> Bounds = new()
    {
        [(typeof(SearchRequest), "query")] = new(MinLength: 1, MaxLength: SearchLimits.MaxQueryLength),
        [(typeof(SearchRequest), "limit")] = Limit,
        [(typeof(SearchFilters), "genres")] = FilterValues,
        [(typeof(SearchFilters), "creativeTypes")] = FilterValues,
        [(typeof(SearchFilters), "mpaaRatings")] = FilterValues,
        [(typeof(SearchFilters), "yearRange")] = new(MinItems: 2, MaxItems: 2, Items: new(Minimum: SearchLimits.MinYear, Maximum: SearchLimits.MaxYear)),
        [(typeof(SearchFilters), "runtimeRange")] = new(MinItems: 2, MaxItems: 2, Items: new(Minimum: 0, Maximum: SearchLimits.MaxRuntimeMinutes)),
        [(typeof(SearchFilters), "minRating")] = new(Minimum: 0, Maximum: SearchLimits.MaxRating),
        [(typeof(BatchSearchRequest), "queries")] = new(MinItems: 1, MaxItems: BatchLimits.MaxQueries),
        [(typeof(RecommendationRequest), "liked")] = ItemIds,
        [(typeof(RecommendationRequest), "disliked")] = ItemIds,
        [(typeof(RecommendationRequest), "concepts")] = ItemIds,
        [(typeof(RecommendationRequest), "limit")] = Limit,
        [(typeof(CatalogImportFromBlob), "blobUrl")] = new(MinLength: 1, MaxLength: CatalogImportFromBlob.MaxUrlLength),
    };

    /// <summary>A <see cref="JsonSchemaExporterOptions.TransformSchemaNode"/>: adds the property's bounds, if it has any.</summary>
    public static JsonNode Apply(JsonSchemaExporterContext context, JsonNode schema)
    {
        if (context.PropertyInfo is { } property && schema is JsonObject node
            && Bounds.TryGetValue((property.DeclaringType, property.Name), out var bound))
            Write(node, bound);
        return schema;
    }

    private static void Write(JsonObject node, Bound bound)
    {
        void Set(string keyword, int? value) { if (value is { } v) node[keyword] = v; }
        Set("minLength", bound.MinLength);
        Set("maxLength", bound.MaxLength);
        Set("minItems", bound.MinItems);
        Set("maxItems", bound.MaxItems);
        Set("minimum", bound.Minimum);
        Set("maximum", bound.Maximum);
        if (bound.Items is { } items && node["items"] is JsonObject itemNode) Write(itemNode, items);
    }
}
