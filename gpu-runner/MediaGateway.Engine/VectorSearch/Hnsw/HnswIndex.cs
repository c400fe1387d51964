using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace MediaGateway.Engine.VectorSearch.Hnsw;

/// <summary>
/// Hierarchical Navigable Small World graph (Malkov &amp; Yashunin 2018) over unit vectors, by inner product.
/// <para>Layout, chosen for cache behaviour at search time: each node's vector and layer-0 links (a count,
/// then up to 2M neighbour ids) side by side in one native block (<see cref="NodeStore"/>); upper-layer
/// links (1 node in M has any) in a small per-node array of level·(M+1) ints.</para>
/// <para>Rows are catalog row numbers; nodes are graph slots. An upsert of an existing row tombstones its
/// old node and inserts a new one, a delete tombstones the node: tombstoned nodes still route the walk but
/// are never returned. Searches take a read lock and mutations a write lock, so readers never see a
/// half-linked node; within a (parallel) build, per-node spin locks guard the link lists.</para>
/// This file holds state and the public surface; HnswIndex.Build.cs (insertion), HnswIndex.Search.cs
/// (search), HnswIndex.Persistence.cs with HnswFile.cs (save/load, file format) and NodeStore.cs (memory
/// layout) hold the rest.
/// </summary>
public sealed unsafe partial class HnswIndex : IVectorIndex, IDisposable
{
    private readonly ReaderWriterLockSlim _rw = new(LockRecursionPolicy.NoRecursion);
    private readonly object _entryLock = new();
    private readonly int _m, _m0, _stride0;
    private readonly int _efConstruction;

    private readonly NodeStore _store;
    private int[]?[] _upper = [];
    private byte[] _levels = [];
    private int[] _rowOf = [];
    private int[] _nodeOf = [];
    private ulong[] _deleted = [];
    private int[] _locks = [];
    private int _nodeCount, _live, _deletedCount;
    private int _entry = -1, _maxLevel = -1;
    private readonly double _levelScale;
    private readonly ulong _seed;
    private readonly ThreadLocal<SearchContext> _contexts;

    private HnswIndex(int dimension, HnswOptions options)
    {
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        Dimension = dimension;
        Options = options;
        (_m, _m0, _efConstruction) = (options.M, 2 * options.M, options.EfConstruction);
        _stride0 = _m0 + 1;
        _store = new NodeStore(dimension, _stride0, options.Encoding);
        _levelScale = 1 / Math.Log(options.M);
        _seed = options.Seed;
        EfSearch = options.EfSearch;
        UpperLayerEfSearch = options.UpperLayerEfSearch;
        _contexts = new ThreadLocal<SearchContext>(() => new SearchContext(this));
    }

    public HnswOptions Options { get; }
    public int Dimension { get; }

    /// <summary>Live (not deleted) rows.</summary>
    public int Count => Volatile.Read(ref _live);

    /// <summary>Graph nodes including tombstones (what the file and the memory hold).</summary>
    public int NodeCount => _nodeCount;

    public int EfSearch { get; set; }

    /// <summary>The beam on the upper layers while searching (<see cref="HnswOptions.UpperLayerEfSearch"/>; 1: greedy).</summary>
    public int UpperLayerEfSearch { get; set; }

    /// <summary>How the node vectors are stored (float32 or float16).</summary>
    public HnswVectorEncoding Encoding => _store.Encoding;
    public int M => _m;

    /// <summary>Bytes held by vectors, links and bookkeeping (not the per-thread search scratch).</summary>
    public long MemoryBytes
    {
        get
        {
            long upper = 0;
            for (var i = 0; i < _nodeCount; i++) upper += _upper[i] is { } u ? 24 + 4L * u.Length : 0;
            return _store.Bytes + upper + 8L * _upper.Length + _levels.Length
                   + 4L * (_rowOf.Length + _nodeOf.Length + _locks.Length) + 8L * _deleted.Length;
        }
    }

    /// <summary>Builds an index over rows 0…rows−1 of a row-major matrix, inserting in parallel.</summary>
    public static HnswIndex Build(ReadOnlySpan<float> matrix, int rows, int dimension, HnswOptions? options = null)
    {
        if ((long)matrix.Length != (long)rows * dimension)
            throw new ArgumentException($"Matrix has {matrix.Length} floats, expected {rows} × {dimension}.", nameof(matrix));
        var index = new HnswIndex(dimension, options ?? new HnswOptions());
        var rowIds = new int[rows];
        for (var i = 0; i < rows; i++) rowIds[i] = i;
        index.Upsert(rowIds, matrix);
        return index;
    }

    /// <summary>An empty index, to be filled by <see cref="Upsert"/>.</summary>
    public static HnswIndex Create(int dimension, HnswOptions? options = null) => new(dimension, options ?? new HnswOptions());

    /// <summary>Inserts rows, or replaces the vectors of rows already present. Parallel across the batch.</summary>
    public void Upsert(ReadOnlySpan<int> rows, ReadOnlySpan<float> vectors)
    {
        if ((long)vectors.Length != (long)rows.Length * Dimension)
            throw new ArgumentException($"Got {vectors.Length} floats for {rows.Length} rows of {Dimension}.", nameof(vectors));
        if (_store.IsHalf)
            for (var i = 0; i < rows.Length; i++)
            {
                // NaN, infinities and magnitudes beyond binary16's range (65504) would be stored as ±∞ or NaN,
                // which the half kernel does not widen; unit vectors never come near.
                var max = TensorPrimitives.MaxMagnitude(vectors.Slice(i * Dimension, Dimension));
                if (!(Math.Abs(max) <= 65504f))
                    throw new ArgumentException($"Row {rows[i]} has a component ({max}) that float16 storage cannot hold; vectors must be finite and unit length.", nameof(vectors));
            }
        _rw.EnterWriteLock();
        try
        {
            var first = _nodeCount;
            EnsureCapacity(first + rows.Length);
            var maxRow = -1;
            foreach (var r in rows)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(r, nameof(rows));
                maxRow = Math.Max(maxRow, r);
            }
            EnsureRowCapacity(maxRow + 1);
            for (var i = 0; i < rows.Length; i++)
            {
                var node = first + i;
                var row = rows[i];
                if (_nodeOf[row] >= 0) Tombstone(_nodeOf[row]);
                _nodeOf[row] = node;
                _rowOf[node] = row;
                _store.Write(node, vectors.Slice(i * Dimension, Dimension));
                var level = DrawLevel(node);
                _levels[node] = (byte)level;
                _upper[node] = level > 0 ? new int[level * (_m + 1)] : null;
                *_store.Links0(node) = 0;
                _live++;
            }
            _nodeCount = first + rows.Length;
            InsertNodes(first, _nodeCount);
        }
        finally
        {
            _rw.ExitWriteLock();
        }
    }

    /// <summary>Removes a row from results (its node stays as a routing point). False if it was not present.</summary>
    public bool Delete(int row)
    {
        _rw.EnterWriteLock();
        try
        {
            if (row < 0 || row >= _nodeOf.Length || _nodeOf[row] < 0) return false;
            Tombstone(_nodeOf[row]);
            _nodeOf[row] = -1;
            return true;
        }
        finally
        {
            _rw.ExitWriteLock();
        }
    }

    /// <summary>True when rows 0…rows−1 are all live and their vectors equal the matrix's, bit for bit (as encoded: float16 stores compare the rounded halves).</summary>
    public bool HoldsExactly(ReadOnlySpan<float> matrix, int rows)
    {
        if (Count != rows || (long)matrix.Length != (long)rows * Dimension) return false;
        for (var row = 0; row < rows; row++)
        {
            if (!ContainsRow(row)) return false;
            if (!_store.Holds(_nodeOf[row], matrix.Slice(row * Dimension, Dimension))) return false;
        }
        return true;
    }

    public bool ContainsRow(int row) => row >= 0 && row < _nodeOf.Length && _nodeOf[row] >= 0;

    private void Tombstone(int node)
    {
        _deleted[node >> 6] |= 1UL << (node & 63);
        _live--;
        _deletedCount++;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsDeleted(int node) => (_deleted[node >> 6] & (1UL << (node & 63))) != 0;

    /// <summary>Layer of a new node: ⌊−ln(U)/ln(M)⌋ with U from a hash of (seed, node), so it is thread-independent.</summary>
    private int DrawLevel(int node)
    {
        var z = _seed + (ulong)node * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        var u = ((z >> 11) + 0.5) / (1UL << 53);
        return Math.Min(32, (int)(-Math.Log(u) * _levelScale));
    }

    private void EnsureCapacity(int nodes)
    {
        if (nodes <= _levels.Length) return;
        var capacity = Math.Max(nodes, _levels.Length + _levels.Length / 2);
        _store.Grow(capacity);
        Array.Resize(ref _upper, capacity);
        Array.Resize(ref _levels, capacity);
        Array.Resize(ref _rowOf, capacity);
        Array.Resize(ref _locks, capacity);
        Array.Resize(ref _deleted, (capacity + 63) / 64);
    }

    private void EnsureRowCapacity(int rows)
    {
        if (rows <= _nodeOf.Length) return;
        var old = _nodeOf.Length;
        Array.Resize(ref _nodeOf, Math.Max(rows, old + old / 2));
        _nodeOf.AsSpan(old).Fill(-1);
    }

    public void Dispose()
    {
        _contexts.Dispose();
        _rw.Dispose();
        _store.Dispose();
    }
}
