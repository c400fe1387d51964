using MediaGateway.Contracts.Batches;
using MediaGateway.Contracts.Search;

namespace MediaGateway.Storage;

/// <summary>
/// <see cref="IBatchStore"/> in this process, for the embedded local run: the "blobs" (queries, JSON Lines
/// results) are byte arrays. Bounded like the result store: batches expire after the retention, and the oldest
/// go beyond <see cref="InProcessStoreOptions.MaxBatches"/> or <see cref="InProcessStoreOptions.MaxBatchBytes"/>.
/// One lock makes the conditional writes conditional.
/// </summary>
public sealed class InProcessBatchStore(InProcessStoreOptions? options = null, TimeProvider? time = null) : IBatchStore
{
    private readonly InProcessStoreOptions _options = options ?? new InProcessStoreOptions();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Slot> _batches = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _oldestFirst = new();
    private long _bytes;

    public Task<bool> TryCreateBatchAsync(BatchRecord batch, IReadOnlyList<SearchRequest> queries, CancellationToken cancellationToken = default)
    {
        var input = BatchInput.Serialize(queries);
        lock (_gate)
        {
            Trim();
            if (_batches.ContainsKey(batch.BatchId)) return Task.FromResult(false);
            _batches[batch.BatchId] = new Slot(batch, input, _oldestFirst.AddLast(batch.BatchId));
            _bytes += input.Length;
            Trim();
            return Task.FromResult(true);
        }
    }

    public Task<BatchRecord?> GetBatchAsync(string batchId, CancellationToken cancellationToken = default)
    {
        lock (_gate) return Task.FromResult(Live(batchId)?.Batch);
    }

    public Task<BatchRecord?> TryUpdateBatchAsync(string batchId, Func<BatchRecord, BatchRecord?> change, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (Live(batchId) is not { } slot || change(slot.Batch) is not { } next) return Task.FromResult<BatchRecord?>(null);
            slot.Batch = next with { BatchId = batchId };
            return Task.FromResult<BatchRecord?>(slot.Batch);
        }
    }

    public Task<IReadOnlyList<SearchRequest>?> GetQueriesAsync(string batchId, CancellationToken cancellationToken = default)
    {
        byte[]? input;
        lock (_gate) input = Live(batchId)?.Input;
        return Task.FromResult(input is null ? null : BatchInput.Deserialize(input));
    }

    public Task PutResultsAsync(string batchId, ReadOnlyMemory<byte> jsonLines, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (Live(batchId) is not { Results: null } slot) return Task.CompletedTask;
            slot.Results = jsonLines.ToArray();
            _bytes += slot.Results.Length;
            Trim();
        }
        return Task.CompletedTask;
    }

    public Task<Stream?> OpenResultsAsync(string batchId, CancellationToken cancellationToken = default)
    {
        byte[]? results;
        lock (_gate) results = Live(batchId)?.Results;
        return Task.FromResult<Stream?>(results is null ? null : new MemoryStream(results, writable: false));
    }

    private Slot? Live(string batchId) => _batches.TryGetValue(batchId, out var slot) && !Expired(slot) ? slot : null;

    private bool Expired(Slot slot) => _time.GetUtcNow() - slot.Batch.CreatedAt > _options.Retention;

    private void Trim()
    {
        // The newest batch stays whatever its size: it was just accepted and is being worked on.
        while (_oldestFirst.First is { } oldest && _oldestFirst.Count > 1)
        {
            var slot = _batches[oldest.Value];
            if (_batches.Count <= _options.MaxBatches && _bytes <= _options.MaxBatchBytes && !Expired(slot)) break;
            _oldestFirst.RemoveFirst();
            _batches.Remove(oldest.Value);
            _bytes -= slot.Input.Length + (slot.Results?.Length ?? 0);
        }
    }

    private sealed class Slot(BatchRecord batch, byte[] input, LinkedListNode<string> node)
    {
        public BatchRecord Batch { get; set; } = batch;
        public byte[] Input { get; } = input;
        public LinkedListNode<string> Node { get; } = node;
        public byte[]? Results { get; set; }
    }
}
