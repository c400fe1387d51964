using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.VectorSearch;
using MediaGateway.Engine.VectorStores;

namespace MediaGateway.Engine.Query;

/// <summary>
/// One condition on catalog items, the single model that request filters, words of the query and the
/// ontology all become. <see cref="Matches"/> is the meaning; <see cref="Rows"/> computes the same set from
/// the catalog's precomputed indexes (a test checks they agree); <see cref="Explain"/> says why an item
/// satisfies it, in words a caller can check ("rated 7.9 ≥ 7.5").
/// </summary>
public interface IConstraint
{
    /// <summary>What the constraint asks for: "genre Horror", "year 1980–1989".</summary>
    string Describe();

    bool Matches(CatalogItem item);

    RowFilter Rows(CatalogIndex index);

    /// <summary>Why <paramref name="item"/> satisfies it; call only when it does.</summary>
    string Explain(CatalogItem item);

    /// <summary>
    /// The same condition in the vector stores' typed filter language, so a server store (Milvus) evaluates it
    /// natively; null when it tests something a store does not keep, and then the engine sends the rows it
    /// admits as ids instead. Must agree with <see cref="Matches"/> on every item (a test checks).
    /// </summary>
    FilterClause? ToClause();
}
