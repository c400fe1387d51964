namespace MediaGateway.Contracts.Search;

/// <summary>The discovery operations a <see cref="DiscoveryRequest"/> can ask for.</summary>
public static class DiscoveryKinds
{
    /// <summary><c>GET /api/v1/media/{id}</c>: one item with every fact the catalog keeps.</summary>
    public const string Item = "item";
    /// <summary><c>GET /api/v1/media/{id}/similar</c>: the items nearest to one item.</summary>
    public const string Similar = "similar";
    /// <summary><c>POST /api/v1/recommendations</c>: items for liked/disliked items and preferred concepts.</summary>
    public const string Recommend = "recommend";
    /// <summary><c>GET /api/v1/concepts?q=</c>: ontology concepts whose labels match the query text.</summary>
    public const string Concepts = "concepts";

    public static readonly IReadOnlyList<string> All = [Item, Similar, Recommend, Concepts];
}
