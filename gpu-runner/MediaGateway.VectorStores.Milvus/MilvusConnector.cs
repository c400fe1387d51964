using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MediaGateway.Engine.VectorStores;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MediaGateway.VectorStores.Milvus;

/// <summary>
/// Opens the Milvus store at start: checks the server answers, creates the collection when it is missing
/// (and <see cref="MilvusOptions.CreateCollection"/> allows), checks its schema and dimension against the
/// engine's, and loads it. Any mismatch stops start-up with a message that says what to change.
/// </summary>
public sealed partial class MilvusConnector(IHttpClientFactory httpClients, IOptions<MilvusOptions> options, ILogger<MilvusConnector> logger) : IVectorStoreConnector
{
    public VectorStoreKind Kind => VectorStoreKind.Milvus;

    public async Task<IVectorStore> OpenAsync(string catalog, int dimension, CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        if (!CollectionName().IsMatch(o.Collection))
            throw new InvalidOperationException($"MediaGateway:Milvus:Collection '{o.Collection}' is not a Milvus collection name (a letter or '_', then letters, digits or '_', at most 255).");
        if (!CatalogName().IsMatch(catalog))
            throw new InvalidOperationException($"The catalog name '{catalog}' must be 1–64 letters, digits, '_' or '-' (MediaGateway:Engine:CatalogName).");
        if (o.ConsistencyLevel is not ("Strong" or "Bounded" or "Session" or "Eventually"))
            throw new InvalidOperationException($"MediaGateway:Milvus:ConsistencyLevel '{o.ConsistencyLevel}' must be Strong, Bounded, Session or Eventually.");
        var client = new MilvusRestClient(httpClients.CreateClient(MilvusRegistration.HttpClientName), o);

        JsonObject has;
        try
        {
            has = await client.PostAsync("collections/has", new JsonObject { ["collectionName"] = o.Collection }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not MilvusException && !cancellationToken.IsCancellationRequested)
        {
            // After the resilience handler's retries: HTTP errors, timeouts, an open circuit.
            throw new InvalidOperationException($"Milvus at {o.Endpoint} does not answer ({e.Message}). Start it (compose.yaml) or check MediaGateway:Milvus:Endpoint.", e);
        }
        if (has["data"]?["has"]?.GetValue<bool>() != true)
        {
            if (!o.CreateCollection)
                throw new InvalidOperationException($"Milvus has no collection '{o.Collection}' and MediaGateway:Milvus:CreateCollection is false.");
            logger.LogInformation("Creating Milvus collection {Collection}: dimension {Dimension}, {IndexType} index, {Partitions} partitions by catalog",
                o.Collection, dimension, o.IndexType, o.PartitionCount);
            await client.PostAsync("collections/create", MilvusSchema.CreateRequest(o, dimension), cancellationToken).ConfigureAwait(false);
        }

        var described = await client.PostAsync("collections/describe", new JsonObject { ["collectionName"] = o.Collection }, cancellationToken).ConfigureAwait(false);
        var problems = MilvusSchema.Problems(described["data"] as JsonObject ?? [], dimension);
        if (problems.Count > 0)
            throw new InvalidOperationException($"Milvus collection '{o.Collection}' does not fit this engine: {string.Join("; ", problems)}. " +
                "Point MediaGateway:Milvus:Collection at a new name (it is created at start) or drop the old collection.");

        await client.PostAsync("collections/load", new JsonObject { ["collectionName"] = o.Collection }, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Milvus collection {Collection} at {Endpoint} is ready for catalog {Catalog} ({IndexType}, consistency {Consistency})",
            o.Collection, o.Endpoint, catalog, o.IndexType, o.ConsistencyLevel);
        return new MilvusVectorStore(client, o, catalog, dimension);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,254}$")]
    private static partial Regex CollectionName();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex CatalogName();
}
