using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Ontology;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaGateway.OntologyStores.Neo4j;

/// <summary>
/// Opens the Neo4j store at start and keeps Neo4j in line with the shipped ontology, which stays the source of
/// truth: checks the server answers (and the credentials), creates the uniqueness constraints, and when the
/// version Neo4j holds differs from the file's (a hash of its concepts and edges) loads the file with MERGE in
/// batches, replaces the loaded concepts' edges, deletes concepts the file no longer has, and writes the
/// version last (an interrupted load is redone). Then writes the catalog's item → concept edges when they were
/// written for another ontology version or another item count, and reads the concepts back.
/// Every write is idempotent, so runners starting together, or retries, do no harm.
/// </summary>
public sealed class Neo4jConnector(IHttpClientFactory httpClients, IOptions<Neo4jOptions> options, ILogger<Neo4jConnector> logger) : IOntologyStoreConnector
{
    /// <summary>Longest catalog name accepted (it is a parameter, never statement text; this only bounds its size).</summary>
    public const int MaxCatalogName = 256;

    public OntologyStoreKind Kind => OntologyStoreKind.Neo4j;

    public async Task<IOntologyStore> OpenAsync(ConceptGraph source, string catalog, IReadOnlyList<CatalogItem> items, CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        if (string.IsNullOrEmpty(catalog) || catalog.Length > MaxCatalogName)
            throw new InvalidOperationException($"The catalog name must be 1–{MaxCatalogName} characters (MediaGateway:Engine:CatalogName).");
        var client = Client();
        string? held;
        try
        {
            held = VersionOf(await client.RunAsync(Neo4jStatements.ReadOntologyVersion, new JsonObject { ["name"] = Neo4jStatements.OntologyName }, cancellationToken).ConfigureAwait(false));
        }
        catch (Neo4jException e) when (e.Code.StartsWith("Neo.ClientError.Security.", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Neo4j at {client.Endpoint} refused the credentials ({e.Code}). Check MediaGateway:Neo4j:User and MediaGateway:Neo4j:Password.", e);
        }
        catch (Exception e) when (e is not Neo4jException && !cancellationToken.IsCancellationRequested)
        {
            // After the resilience handler's retries: HTTP errors, timeouts, an open circuit.
            throw new InvalidOperationException($"Neo4j at {client.Endpoint} does not answer ({e.Message}). Start it (compose.yaml) or check MediaGateway:Neo4j:Endpoint.", e);
        }

        var version = VersionOf(source);
        if (held != version)
        {
            var clock = Stopwatch.StartNew();
            await LoadOntologyAsync(client, source, version, o, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Loaded ontology {Version} ({Concepts} concepts) into Neo4j database {Database} in {Ms:F0} ms (it held {Held})",
                version, source.Concepts.Count, o.Database, clock.Elapsed.TotalMilliseconds, held ?? "none");
        }

        var sync = (await client.RunAsync(Neo4jStatements.ReadCatalogSync, new JsonObject { ["catalog"] = catalog }, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
        var syncedVersion = sync?["ontologyHash"] is JsonValue h && h.TryGetValue(out string? s) ? s : null;
        var syncedItems = sync?["items"] is JsonValue n && n.TryGetValue(out long c) ? c : -1;
        if (syncedVersion != version || syncedItems != items.Count)
        {
            var clock = Stopwatch.StartNew();
            foreach (var batch in items.Chunk(Math.Max(1, o.WriteBatchSize)))
            {
                var rows = new JsonArray(batch.Select(item => (JsonNode?)new JsonObject
                {
                    ["key"] = Neo4jStatements.ItemKey(catalog, item.Id),
                    ["id"] = item.Id,
                    ["title"] = item.Title,
                    ["concepts"] = Neo4jOntologyStore.Strings(CatalogConcepts.Of(item, source.Concepts)),
                }).ToArray());
                await client.RunAsync(Neo4jStatements.MergeItems, new JsonObject { ["rows"] = rows, ["catalog"] = catalog }, cancellationToken).ConfigureAwait(false);
            }
            await client.RunAsync(Neo4jStatements.WriteCatalogSync, new JsonObject { ["catalog"] = catalog, ["ontologyHash"] = version, ["items"] = items.Count }, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Wrote {Items} items of catalog {Catalog} with their concept edges to Neo4j in {Ms:F0} ms", items.Count, catalog, clock.Elapsed.TotalMilliseconds);
        }

        var concepts = (await client.RunAsync(Neo4jStatements.ReadConcepts, null, cancellationToken).ConfigureAwait(false)).Select(Neo4jConceptRows.FromRow).ToArray();
        if (concepts.Length == 0) throw new InvalidOperationException($"Neo4j database {o.Database} holds no concepts after the load.");
        logger.LogInformation("Neo4j ontology store ready: {Concepts} concepts, version {Version}, database {Database} at {Endpoint}", concepts.Length, version, o.Database, client.Endpoint);
        return new Neo4jOntologyStore(client, o, concepts, version, catalog);
    }

    internal Neo4jQueryClient Client() => new(httpClients.CreateClient(Neo4jRegistration.HttpClientName), options.Value);

    private static async Task LoadOntologyAsync(Neo4jQueryClient client, ConceptGraph source, string version, Neo4jOptions o, CancellationToken cancellationToken)
    {
        foreach (var constraint in new[] { Neo4jStatements.ConceptIdConstraint, Neo4jStatements.MediaItemKeyConstraint })
            await client.RunAsync(constraint, null, cancellationToken).ConfigureAwait(false);
        var batch = Math.Max(1, o.WriteBatchSize);
        var concepts = source.Concepts;
        for (var start = 0; start < concepts.Count; start += batch)
        {
            var rows = new JsonArray(concepts.Skip(start).Take(batch).Select((c, i) => (JsonNode?)Neo4jConceptRows.ToRow(c, start + i)).ToArray());
            await client.RunAsync(Neo4jStatements.MergeConcepts, new JsonObject { ["rows"] = rows, ["version"] = version }, cancellationToken).ConfigureAwait(false);
        }
        foreach (var ids in concepts.Select(c => c.Id).Chunk(batch))
            await client.RunAsync(Neo4jStatements.DeleteConceptEdges, new JsonObject { ["ids"] = Neo4jOntologyStore.Strings(ids) }, cancellationToken).ConfigureAwait(false);
        // Each edge once: broader as stated (narrower is read backwards), related from the smaller id to the larger.
        var broader = concepts.SelectMany(c => c.Broader.Select(b => (From: c.Id, To: b))).ToArray();
        var related = concepts.SelectMany(c => c.Related.Where(r => string.CompareOrdinal(c.Id, r) < 0).Select(r => (From: c.Id, To: r))).ToArray();
        foreach (var (statement, edges) in new[] { (Neo4jStatements.MergeBroader, broader), (Neo4jStatements.MergeRelated, related) })
        foreach (var chunk in edges.Chunk(batch))
        {
            var rows = new JsonArray(chunk.Select(e => (JsonNode?)new JsonObject { ["from"] = e.From, ["to"] = e.To }).ToArray());
            await client.RunAsync(statement, new JsonObject { ["rows"] = rows }, cancellationToken).ConfigureAwait(false);
        }
        await client.RunAsync(Neo4jStatements.DeleteStaleConcepts, new JsonObject { ["version"] = version }, cancellationToken).ConfigureAwait(false);
        await client.RunAsync(Neo4jStatements.WriteOntologyVersion,
            new JsonObject { ["name"] = Neo4jStatements.OntologyName, ["hash"] = version, ["concepts"] = concepts.Count }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The ontology's version: a hash of every concept's rows and edges, so any edit to the file changes it.</summary>
    public static string VersionOf(ConceptGraph source)
    {
        var text = new StringBuilder();
        for (var i = 0; i < source.Concepts.Count; i++)
        {
            var c = source.Concepts[i];
            text.Append(Neo4jConceptRows.ToRow(c, i).ToJsonString()).Append('|').AppendJoin(',', c.Broader).Append('|').AppendJoin(',', c.Related).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    private static string? VersionOf(IReadOnlyList<JsonObject> rows) =>
        rows.Count > 0 && rows[0]["hash"] is JsonValue v && v.TryGetValue(out string? hash) ? hash : null;
}
