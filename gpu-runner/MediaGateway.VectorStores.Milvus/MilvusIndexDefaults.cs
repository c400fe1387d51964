using System.Globalization;

namespace MediaGateway.VectorStores.Milvus;

/// <summary>Build and search parameters per index type, from configuration or these defaults.</summary>
public static class MilvusIndexDefaults
{
    public static IReadOnlyDictionary<string, string> BuildParams(MilvusOptions options) =>
        options.IndexParams.Count > 0 ? options.IndexParams : options.IndexType.ToUpperInvariant() switch
        {
            "HNSW" => new Dictionary<string, string> { ["M"] = "16", ["efConstruction"] = "200" },
            "GPU_CAGRA" => new Dictionary<string, string> { ["intermediate_graph_degree"] = "64", ["graph_degree"] = "32" },
            _ => new Dictionary<string, string>(),
        };

    /// <summary>Search parameters for a top-<paramref name="k"/> search: the list sizes HNSW (ef) and CAGRA (itopk_size) need are at least k.</summary>
    public static Dictionary<string, string> SearchParams(MilvusOptions options, int k)
    {
        var result = new Dictionary<string, string>(options.SearchParams.Count > 0 ? options.SearchParams : options.IndexType.ToUpperInvariant() switch
        {
            "HNSW" => new Dictionary<string, string> { ["ef"] = "128" },
            "GPU_CAGRA" => new Dictionary<string, string> { ["itopk_size"] = "128" },
            _ => new Dictionary<string, string>(),
        });
        foreach (var key in new[] { "ef", "itopk_size" })
            if (result.TryGetValue(key, out var v) && int.TryParse(v, CultureInfo.InvariantCulture, out var n) && n < k)
                result[key] = k.ToString(CultureInfo.InvariantCulture);
        return result;
    }
}
