namespace MediaGateway.OntologyStores.Neo4j;

/// <summary>
/// Every Cypher statement the store sends, as constants: labels, relationship types, property names and the
/// walk's depth bound are fixed text; every value (ids, labels, definitions, catalog names, titles) is a
/// <c>$parameter</c>. Nothing is ever concatenated into a statement.
/// <para>The graph: <c>(:Concept {id, scheme, prefLabel, altLabels, definition, facetFields, facetValues,
/// yearFrom, yearTo, ord, version})</c>; <c>(:Concept)-[:BROADER]->(:Concept)</c> (narrower is the same edge read
/// backwards); <c>(:Concept)-[:RELATED]->(:Concept)</c>, stored once per pair and read in both directions;
/// <c>(:OntologyVersion {name, hash, concepts})</c>; <c>(:MediaItem {key, catalog, id, title})-[:CARRIES]->(:Concept)</c>;
/// <c>(:CatalogSync {catalog, ontologyHash, items})</c>.</para>
/// </summary>
public static class Neo4jStatements
{
    /// <summary>The name of the one <c>OntologyVersion</c> node this store writes.</summary>
    public const string OntologyName = "mediagateway";

    public const string ConceptIdConstraint =
        "CREATE CONSTRAINT mg_concept_id IF NOT EXISTS FOR (c:Concept) REQUIRE c.id IS UNIQUE";

    public const string MediaItemKeyConstraint =
        "CREATE CONSTRAINT mg_media_item_key IF NOT EXISTS FOR (i:MediaItem) REQUIRE i.key IS UNIQUE";

    /// <summary>The loaded ontology's version (null when none was loaded); also the health check's ping.</summary>
    public const string ReadOntologyVersion =
        "OPTIONAL MATCH (v:OntologyVersion {name: $name}) RETURN v.hash AS hash, v.concepts AS concepts";

    public const string MergeConcepts =
        "UNWIND $rows AS row " +
        "MERGE (c:Concept {id: row.id}) " +
        "SET c.scheme = row.scheme, c.prefLabel = row.prefLabel, c.altLabels = row.altLabels, c.definition = row.definition, " +
        "c.facetFields = row.facetFields, c.facetValues = row.facetValues, c.yearFrom = row.yearFrom, c.yearTo = row.yearTo, " +
        "c.ord = row.ord, c.version = $version";

    /// <summary>Drops the outgoing edges of the given concepts, so that re-merging them leaves exactly the file's edges.</summary>
    public const string DeleteConceptEdges =
        "UNWIND $ids AS id MATCH (:Concept {id: id})-[r:BROADER|RELATED]->(:Concept) DELETE r";

    public const string MergeBroader =
        "UNWIND $rows AS row MATCH (a:Concept {id: row.from}) MATCH (b:Concept {id: row.to}) MERGE (a)-[:BROADER]->(b)";

    public const string MergeRelated =
        "UNWIND $rows AS row MATCH (a:Concept {id: row.from}) MATCH (b:Concept {id: row.to}) MERGE (a)-[:RELATED]->(b)";

    /// <summary>Concepts the file no longer has (an older version's), with their edges.</summary>
    public const string DeleteStaleConcepts =
        "MATCH (c:Concept) WHERE c.version IS NULL OR c.version <> $version DETACH DELETE c";

    /// <summary>Written last, so an interrupted load is redone at the next start.</summary>
    public const string WriteOntologyVersion =
        "MERGE (v:OntologyVersion {name: $name}) SET v.hash = $hash, v.concepts = $concepts";

    private const string ConceptColumns =
        "RETURN c.id AS id, c.scheme AS scheme, c.prefLabel AS prefLabel, c.altLabels AS altLabels, c.definition AS definition, " +
        "c.facetFields AS facetFields, c.facetValues AS facetValues, c.yearFrom AS yearFrom, c.yearTo AS yearTo, " +
        "[(c)-[:BROADER]->(b:Concept) | b.id] AS broader, [(n:Concept)-[:BROADER]->(c) | n.id] AS narrower, " +
        "[(c)-[:RELATED]-(r:Concept) | r.id] AS related";

    /// <summary>Every concept with its labels, facets and edges, in the file's order.</summary>
    public const string ReadConcepts = "MATCH (c:Concept) " + ConceptColumns + " ORDER BY c.ord";

    /// <summary>The given concepts (unknown ids give no row).</summary>
    public const string FindConcepts = "UNWIND $ids AS id MATCH (c:Concept {id: id}) " + ConceptColumns;

    /// <summary>
    /// Everything the expansions of the given concepts can reach, in one round trip: each concept, what is
    /// below it (up to 3 levels), what is related to it, and what is above it (up to 3 levels), once each, with
    /// their edges. The weights are then applied by the engine's <c>ConceptExpander</c>, the same code the
    /// embedded store runs. The bound 3 is <c>ExpansionWeights.MaxDepth</c> (a bound cannot be a parameter).
    /// </summary>
    public const string ReadNeighbourhood =
        "UNWIND $ids AS id MATCH (s:Concept {id: id}) " +
        "UNWIND COLLECT { MATCH (s)<-[:BROADER*0..3]-(d:Concept) RETURN d } + COLLECT { MATCH (s)-[:RELATED]-(r:Concept) RETURN r } " +
        "+ COLLECT { MATCH (s)-[:BROADER*1..3]->(u:Concept) RETURN u } AS c " +
        "WITH DISTINCT c " + ConceptColumns;

    /// <summary>Catalog items and their item → concept edges (an item's old edges are replaced).</summary>
    public const string MergeItems =
        "UNWIND $rows AS row " +
        "MERGE (i:MediaItem {key: row.key}) SET i.catalog = $catalog, i.id = row.id, i.title = row.title " +
        "WITH i, row OPTIONAL MATCH (i)-[old:CARRIES]->(:Concept) DELETE old " +
        "WITH DISTINCT i, row UNWIND row.concepts AS conceptId MATCH (c:Concept {id: conceptId}) MERGE (i)-[:CARRIES]->(c)";

    public const string ReadCatalogSync =
        "OPTIONAL MATCH (s:CatalogSync {catalog: $catalog}) RETURN s.ontologyHash AS ontologyHash, s.items AS items";

    public const string WriteCatalogSync =
        "MERGE (s:CatalogSync {catalog: $catalog}) SET s.ontologyHash = $ontologyHash, s.items = $items";

    /// <summary>The concepts each of the given items (by key) carries: one row per item that has any.</summary>
    public const string ReadItemConcepts =
        "UNWIND $keys AS key MATCH (i:MediaItem {key: key})-[:CARRIES]->(c:Concept) RETURN i.id AS id, collect(c.id) AS concepts";

    /// <summary>An item's key: its catalog and id, unambiguous whatever characters either holds ("5:mo/vi/e-1" is catalog "mo/vi", id "e-1").</summary>
    public static string ItemKey(string catalog, string itemId) => $"{catalog.Length}:{catalog}/{itemId}";

    /// <summary>Every statement above: what the in-process double understands, and all that may ever be sent.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        ConceptIdConstraint, MediaItemKeyConstraint, ReadOntologyVersion, MergeConcepts, DeleteConceptEdges, MergeBroader,
        MergeRelated, DeleteStaleConcepts, WriteOntologyVersion, ReadConcepts, FindConcepts, ReadNeighbourhood, MergeItems,
        ReadCatalogSync, WriteCatalogSync, ReadItemConcepts,
    ];
}
