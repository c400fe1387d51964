using MediaGateway.Contracts.Search;

namespace MediaGateway.Contracts.Batches;

/// <summary>
/// Batch searches: their records (progress), their input queries and their results (JSON Lines). Like
/// <see cref="Jobs.IResultStore"/>, every change to a record is conditional, and results are written once.
/// </summary>
public interface IBatchStore
{
    /// <summary>Stores the queries, then the record (so a record always has its input); false when the id exists already.</summary>
    Task<bool> TryCreateBatchAsync(BatchRecord batch, IReadOnlyList<SearchRequest> queries, CancellationToken cancellationToken = default);

    Task<BatchRecord?> GetBatchAsync(string batchId, CancellationToken cancellationToken = default);

    /// <summary>Reads, asks <paramref name="change"/> (null declines), writes only if unchanged since the read; returns what was written.</summary>
    Task<BatchRecord?> TryUpdateBatchAsync(string batchId, Func<BatchRecord, BatchRecord?> change, CancellationToken cancellationToken = default);

    /// <summary>The batch's normalised queries, in input order; null when missing.</summary>
    Task<IReadOnlyList<SearchRequest>?> GetQueriesAsync(string batchId, CancellationToken cancellationToken = default);

    /// <summary>Stores the results (UTF-8 JSON Lines) unless some are stored already: results are never overwritten.</summary>
    Task PutResultsAsync(string batchId, ReadOnlyMemory<byte> jsonLines, CancellationToken cancellationToken = default);

    /// <summary>The stored results, to be read once and disposed; null when there are none.</summary>
    Task<Stream?> OpenResultsAsync(string batchId, CancellationToken cancellationToken = default);
}
