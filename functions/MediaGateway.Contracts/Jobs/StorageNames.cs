namespace MediaGateway.Contracts.Jobs;

/// <summary>Storage names shared by the gateway, the runner and the Bicep templates.</summary>
public static class StorageNames
{
    public const string SearchQueue = "search-jobs";
    /// <summary>The Functions convention: "&lt;queue&gt;-poison".</summary>
    public const string SearchPoisonQueue = SearchQueue + "-poison";
    /// <summary>Batch searches waiting for the queue-triggered batch function.</summary>
    public const string BatchQueue = "batch-jobs";
    public const string BatchPoisonQueue = BatchQueue + "-poison";
    public const string JobsTable = "jobs";
    public const string ResultsContainer = "results";
    /// <summary>The runner's catalog embeddings and HNSW graph, shared between starts and replicas.</summary>
    public const string IndexSnapshotsContainer = "index-snapshots";
}
