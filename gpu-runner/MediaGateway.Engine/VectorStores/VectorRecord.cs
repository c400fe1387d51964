using MediaGateway.Engine.Catalog;

namespace MediaGateway.Engine.VectorStores;

/// <summary>One catalog item and its unit-length embedding: what a store keeps and what its filters look at.</summary>
public sealed record VectorRecord(CatalogItem Item, ReadOnlyMemory<float> Vector)
{
    public string Id => Item.Id;
}
