namespace MediaGateway.Engine.Ontology;

/// <summary>
/// A concept the query mentions, tied to a catalog field and value: "scary" → genre = Horror.
/// <paramref name="Required"/> marks a concept the caller insisted on ("…, but for kids"): the engine
/// keeps only items that have it, as long as enough do.
/// </summary>
public sealed record QueryConcept(string Phrase, string Field, string Value, bool Required = false);

/// <summary>
/// The knowledge that links everyday words to catalog facets. The embedded default is built from the
/// catalog's own values plus a small vocabulary of synonyms; a Neo4j-backed store can replace it.
/// </summary>
public interface IOntologyStore
{
    /// <summary>The concepts found in a query (already lower-cased and accent-folded).</summary>
    IReadOnlyList<QueryConcept> ConceptsIn(string normalizedQuery);
}
