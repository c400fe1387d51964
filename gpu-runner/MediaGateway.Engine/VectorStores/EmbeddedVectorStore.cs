using System.Diagnostics;
using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.VectorSearch;

namespace MediaGateway.Engine.VectorStores;

/// <summary>
/// The vectors in this process: an <see cref="IVectorIndex"/> (exact scan or HNSW graph) over rows in catalog
/// order, with typed filters evaluated into a row bitset. The indexes are immutable, so a write marks the
/// index stale and the next search rebuilds it: cheap for the catalog-at-start pattern this store serves,
/// and the reason a catalog that changes all day belongs in a server store.
/// </summary>
public sealed class EmbeddedVectorStore : IVectorStore
{
    private readonly Func<ReadOnlyMemory<float>, int, IVectorIndex> _buildIndex;
    private readonly List<CatalogItem> _items = [];
    private readonly Dictionary<string, int> _rows = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private float[] _matrix;
    private IVectorIndex? _index;
    private bool _readOnly;

    /// <param name="dimension">Length of every vector.</param>
    /// <param name="buildIndex">Builds the index over (matrix, rows); called again after writes.</param>
    public EmbeddedVectorStore(int dimension, Func<ReadOnlyMemory<float>, int, IVectorIndex> buildIndex)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        (Dimension, _buildIndex) = (dimension, buildIndex);
        _matrix = [];
    }

    /// <summary>
    /// A store over a catalog whose index is already built (the engine itself searches such an index directly,
    /// with the planner's row bitsets). The index holds its own packed copy of the vectors, so the row-major
    /// matrix is not kept (it would double the memory of a large catalog), and the store is read-only; a
    /// runner whose catalog changes while it runs belongs on a server store.
    /// </summary>
    public static EmbeddedVectorStore ReadOnly(int dimension, IReadOnlyList<CatalogItem> items, IVectorIndex index)
    {
        if (index.Count != items.Count || index.Dimension != dimension)
            throw new ArgumentException($"The index holds {index.Count} × {index.Dimension}, the catalog {items.Count} × {dimension}.");
        var store = new EmbeddedVectorStore(dimension, (_, _) => throw new InvalidOperationException("A read-only store does not rebuild its index."));
        for (var row = 0; row < items.Count; row++)
        {
            store._items.Add(items[row]);
            store._rows[items[row].Id] = row;
        }
        store._index = index;
        store._readOnly = true;
        return store;
    }

    public string Kind => "embedded";
    public int Dimension { get; }

    public string IndexKind
    {
        get
        {
            lock (_gate) return _index is VectorSearch.Hnsw.HnswIndex ? "hnsw" : "exact";
        }
    }

    public Task UpsertAsync(IReadOnlyList<VectorRecord> records, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            CheckWritable();
            Write(records);
            _index = null;
        }
        return Task.CompletedTask;
    }

    public Task DeleteAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            CheckWritable();
            var gone = ids.Where(_rows.ContainsKey).ToHashSet(StringComparer.Ordinal);
            if (gone.Count == 0) return Task.CompletedTask;
            // Compact in place, keeping the survivors' order.
            var next = 0;
            for (var row = 0; row < _items.Count; row++)
            {
                if (gone.Contains(_items[row].Id)) continue;
                if (next != row)
                {
                    _items[next] = _items[row];
                    _matrix.AsSpan(row * Dimension, Dimension).CopyTo(_matrix.AsSpan(next * Dimension, Dimension));
                }
                next++;
            }
            _items.RemoveRange(next, _items.Count - next);
            _rows.Clear();
            for (var row = 0; row < _items.Count; row++) _rows[_items[row].Id] = row;
            _index = null;
        }
        return Task.CompletedTask;
    }

    public Task<VectorMatch[][]> SearchAsync(ReadOnlyMemory<float> queries, int queryCount, int k,
        IReadOnlyList<VectorFilter?>? filters = null, CancellationToken cancellationToken = default)
    {
        VectorStoreArguments.CheckSearch(queries.Length, queryCount, k, Dimension, filters);
        lock (_gate)
        {
            if (_items.Count == 0 || k == 0) return Task.FromResult(Enumerable.Range(0, queryCount).Select(_ => Array.Empty<VectorMatch>()).ToArray());
            _index ??= _buildIndex(_matrix.AsMemory(0, _items.Count * Dimension), _items.Count);
            var rowFilters = filters?.Select(f => f is null ? null : RowFilter.FromPredicate(_items.Count, row => f.Matches(_items[row]))).ToArray();
            var rows = _index.Search(queries.Span, queryCount, Math.Min(k, _items.Count), rowFilters);
            return Task.FromResult(rows.Select(r => r.Select(s => new VectorMatch(_items[s.Row].Id, s.Score)).ToArray()).ToArray());
        }
    }

    public Task<long> CountAsync(VectorFilter? filter = null, CancellationToken cancellationToken = default)
    {
        lock (_gate) return Task.FromResult(filter is null ? _items.Count : (long)_items.Count(filter.Matches));
    }

    public Task<DependencyCheck> CheckAsync(CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        int count;
        lock (_gate) count = _items.Count;
        return Task.FromResult(new DependencyCheck("vectorStore", true, clock.Elapsed.TotalMilliseconds, $"embedded, {count} vectors in memory"));
    }

    private void CheckWritable()
    {
        if (_readOnly)
            throw new InvalidOperationException("This embedded store serves the catalog loaded at start and is read-only; use MediaGateway:Engine:VectorStore=Milvus for a catalog that changes while the runner runs.");
    }

    private void Write(IReadOnlyList<VectorRecord> records)
    {
        foreach (var record in records)
        {
            if (record.Vector.Length != Dimension)
                throw new ArgumentException($"Record '{record.Id}' has {record.Vector.Length} dimensions; the store holds {Dimension}.", nameof(records));
            if (!_rows.TryGetValue(record.Id, out var row))
            {
                row = _items.Count;
                _items.Add(record.Item);
                _rows[record.Id] = row;
                if (_matrix.Length < _items.Count * Dimension) Array.Resize(ref _matrix, Math.Max(_matrix.Length * 2, _items.Count * Dimension));
            }
            else
            {
                _items[row] = record.Item;
            }
            record.Vector.Span.CopyTo(_matrix.AsSpan(row * Dimension, Dimension));
        }
    }
}
