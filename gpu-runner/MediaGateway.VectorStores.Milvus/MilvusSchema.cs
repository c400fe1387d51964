using System.Globalization;
using System.Text.Json.Nodes;
using MediaGateway.Engine.VectorStores;

namespace MediaGateway.VectorStores.Milvus;

/// <summary>
/// The collection's layout: a primary key (catalog + "/" + item id, unique across catalogs), the item id, the
/// catalog as partition key, the vector, and one scalar field per filter facet. Text facets are stored lower-case
/// so that filters compare without case, as the embedded store does; unknown facets are null.
/// </summary>
public static class MilvusSchema
{
    public const string PrimaryKey = "pk", ItemId = "item_id", Catalog = "catalog", Vector = "vector";
    public const int MaxIdLength = 512, MaxCatalogLength = 64, MaxTextLength = 1024, MaxGenres = 64, MaxGenreLength = 128;

    /// <summary>The scalar field a filter facet lives in.</summary>
    public static string FieldOf(FilterField field) => field switch
    {
        FilterField.Genre => "genres",
        FilterField.CreativeType => "creative_type",
        FilterField.MpaaRating => "mpaa_rating",
        FilterField.Source => "source",
        FilterField.Director => "director",
        FilterField.Year => "year",
        FilterField.RuntimeMinutes => "runtime_minutes",
        FilterField.ImdbRating => "imdb_rating",
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    /// <summary>Every field: name, Milvus data type, element type (arrays), nullable, and the parameters describe reports.</summary>
    public static IReadOnlyList<(string Name, string Type, string? ElementType, bool Nullable, Dictionary<string, int> Params)> Fields(int dimension) =>
    [
        (PrimaryKey, "VarChar", null, false, new() { ["max_length"] = MaxCatalogLength + 1 + MaxIdLength }),
        (ItemId, "VarChar", null, false, new() { ["max_length"] = MaxIdLength }),
        (Catalog, "VarChar", null, false, new() { ["max_length"] = MaxCatalogLength }),
        (Vector, "FloatVector", null, false, new() { ["dim"] = dimension }),
        (FieldOf(FilterField.Genre), "Array", "VarChar", false, new() { ["max_capacity"] = MaxGenres, ["max_length"] = MaxGenreLength }),
        (FieldOf(FilterField.CreativeType), "VarChar", null, true, new() { ["max_length"] = MaxTextLength }),
        (FieldOf(FilterField.MpaaRating), "VarChar", null, true, new() { ["max_length"] = MaxTextLength }),
        (FieldOf(FilterField.Source), "VarChar", null, true, new() { ["max_length"] = MaxTextLength }),
        (FieldOf(FilterField.Director), "VarChar", null, true, new() { ["max_length"] = MaxTextLength }),
        (FieldOf(FilterField.Year), "Int32", null, true, []),
        (FieldOf(FilterField.RuntimeMinutes), "Int32", null, true, []),
        (FieldOf(FilterField.ImdbRating), "Double", null, true, []),
    ];

    /// <summary>The body of <c>collections/create</c>: schema, vector index (inner product) and partition count.</summary>
    public static JsonObject CreateRequest(MilvusOptions options, int dimension)
    {
        var fields = new JsonArray();
        foreach (var (name, type, elementType, nullable, parameters) in Fields(dimension))
        {
            var field = new JsonObject { ["fieldName"] = name, ["dataType"] = type };
            if (name == PrimaryKey) field["isPrimary"] = true;
            if (name == Catalog) field["isPartitionKey"] = true;
            if (elementType is not null) field["elementDataType"] = elementType;
            if (nullable) field["nullable"] = true;
            if (parameters.Count > 0) field["elementTypeParams"] = new JsonObject(parameters.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
            fields.Add(field);
        }
        var indexParams = new JsonObject { ["index_type"] = options.IndexType };
        foreach (var (key, value) in MilvusIndexDefaults.BuildParams(options)) indexParams[key] = Number(value);
        return new JsonObject
        {
            ["collectionName"] = options.Collection,
            ["schema"] = new JsonObject { ["autoId"] = false, ["enableDynamicField"] = false, ["fields"] = fields },
            ["indexParams"] = new JsonArray(new JsonObject
            {
                ["fieldName"] = Vector,
                ["indexName"] = Vector,
                ["metricType"] = "IP", // vectors are unit length: inner product is cosine, as in the embedded store
                ["params"] = indexParams,
            }),
            ["params"] = new JsonObject { ["partitionsNum"] = options.PartitionCount, ["consistencyLevel"] = options.ConsistencyLevel },
        };
    }

    /// <summary>What is wrong with a described collection for this engine (empty when it fits).</summary>
    public static IReadOnlyList<string> Problems(JsonObject described, int dimension)
    {
        var problems = new List<string>();
        var fields = (described["fields"] as JsonArray ?? []).OfType<JsonObject>()
            .ToDictionary(f => f["name"]?.GetValue<string>() ?? "", StringComparer.Ordinal);
        foreach (var (name, type, elementType, _, parameters) in Fields(dimension))
        {
            if (!fields.TryGetValue(name, out var field))
            {
                problems.Add($"field '{name}' is missing");
                continue;
            }
            var actualType = field["type"]?.GetValue<string>();
            if (!string.Equals(actualType, type, StringComparison.OrdinalIgnoreCase)) problems.Add($"field '{name}' is {actualType}, expected {type}");
            if (elementType is not null && !string.Equals(field["elementType"]?.GetValue<string>(), elementType, StringComparison.OrdinalIgnoreCase))
                problems.Add($"field '{name}' holds {field["elementType"]}, expected {elementType}");
            if (name == PrimaryKey && field["primaryKey"]?.GetValue<bool>() != true) problems.Add($"field '{name}' is not the primary key");
            if (name == Catalog && field["partitionKey"]?.GetValue<bool>() != true) problems.Add($"field '{name}' is not the partition key");
            if (name == Vector)
            {
                var dim = (field["params"] as JsonArray ?? []).OfType<JsonObject>()
                    .FirstOrDefault(p => p["key"]?.GetValue<string>() == "dim")?["value"]?.ToString();
                if (dim != dimension.ToString(CultureInfo.InvariantCulture))
                    problems.Add($"the vector field has dimension {dim ?? "?"}, but the embedding model produces {dimension}");
            }
        }
        return problems;
    }

    /// <summary>Index parameters go to Milvus as numbers when they are numbers.</summary>
    internal static JsonNode Number(string value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? JsonValue.Create(i)
        : double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? JsonValue.Create(d)
        : JsonValue.Create(value);
}
