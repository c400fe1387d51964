using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace MediaGateway.Engine.VectorSearch.Hnsw;

/// <summary>Search: greedy descent through the upper layers, then a best-first beam of width ef on layer 0.</summary>
public sealed unsafe partial class HnswIndex
{
    public ScoredRow[][] Search(ReadOnlySpan<float> queries, int queryCount, int k, IReadOnlyList<RowFilter?>? filters = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if ((long)queries.Length != (long)queryCount * Dimension)
            throw new ArgumentException($"Queries have {queries.Length} floats, expected {queryCount} × {Dimension}.", nameof(queries));
        if (filters is not null && filters.Count != queryCount)
            throw new ArgumentException($"Got {filters.Count} filters for {queryCount} queries; pass one (or null) per query.", nameof(filters));
        var results = new ScoredRow[queryCount][];
        _rw.EnterReadLock();
        try
        {
            if (queryCount == 1) results[0] = SearchOne(queries, k, filters?[0], _contexts.Value!);
            else
            {
                var copy = queries.ToArray();
                var threads = Options.MaxThreads > 0 ? Options.MaxThreads : Environment.ProcessorCount;
                Parallel.For(0, queryCount, new ParallelOptions { MaxDegreeOfParallelism = threads }, q =>
                    results[q] = SearchOne(copy.AsSpan(q * Dimension, Dimension), k, filters?[q], _contexts.Value!));
            }
        }
        finally
        {
            _rw.ExitReadLock();
        }
        return results;
    }

    private ScoredRow[] SearchOne(ReadOnlySpan<float> query, int k, RowFilter? filter, SearchContext context)
    {
        if (_live == 0) return [];
        context.EnsureCapacity(_levels.Length);
        if (filter is not null && filter.Count() <= Math.Max(Options.FilterExactRows, Options.FilterExactFraction * _live))
            return ExactScan(query, k, filter);
        fixed (float* q = query)
        {
            var ef = Math.Max(EfSearch, k);
            for (var attempt = 0; attempt < 3; attempt++, ef *= 4)
            {
                var found = Walk(q, ef, filter, context);
                // A walk can come back short when the filter (or tombstones) rule out most of what it reaches;
                // widen the beam, and in the end scan exactly, so k allowed rows always come back when they exist.
                if (found.Count >= k) return ToRows(found, k);
                if (attempt == 0 && found.Count >= AllowedLiveRows(filter, k)) return ToRows(found, k);
            }
        }
        return ExactScan(query, k, filter);
    }

    private NodeHeap Walk(float* q, int ef, RowFilter? filter, SearchContext context)
    {
        var entry = _entry;
        var sim = _store.Dot(q, entry);
        (entry, sim) = Descend(q, entry, sim, _maxLevel, 0, UpperLayerEfSearch, context, locked: false);
        if (filter is not null) SearchLayer(q, entry, sim, ef, 0, context, new AllowFiltered(this, filter), locked: false);
        else if (_deletedCount > 0) SearchLayer(q, entry, sim, ef, 0, context, new AllowLive(this), locked: false);
        else SearchLayer<AllowAll>(q, entry, sim, ef, 0, context, default, locked: false);
        return context.Results;
    }

    private ScoredRow[] ToRows(NodeHeap found, int k)
    {
        // The results heap pops worst first: drop the ef − k worst, then fill the answer from the back.
        // Equal scores are then put in row order (the heap does not order ties).
        while (found.Count > k) found.Pop();
        var rows = new ScoredRow[found.Count];
        for (var i = rows.Length - 1; i >= 0; i--)
        {
            rows[i] = new ScoredRow(_rowOf[found.TopNode], found.TopKey);
            found.Pop();
        }
        for (var i = 1; i < rows.Length; i++)
            for (var j = i; j > 0 && ScoredRow.CompareBestFirst(rows[j - 1], rows[j]) > 0; j--)
                (rows[j - 1], rows[j]) = (rows[j], rows[j - 1]);
        return rows;
    }

    /// <summary>How many rows the query could return at most (capped at k, which is all the caller needs to know).</summary>
    private int AllowedLiveRows(RowFilter? filter, int k)
    {
        if (filter is null) return Math.Min(k, _live);
        var n = 0;
        var words = filter.Words;
        for (var w = 0; w < words.Length && n < k; w++)
            for (var bits = words[w]; bits != 0 && n < k; bits &= bits - 1)
            {
                var row = w * 64 + BitOperations.TrailingZeroCount(bits);
                if (row < filter.Rows && ContainsRow(row)) n++;
            }
        return n;
    }

    /// <summary>Scores every allowed live row: the answer for very selective filters, and the last resort.</summary>
    private ScoredRow[] ExactScan(ReadOnlySpan<float> query, int k, RowFilter? filter)
    {
        var heap = new TopKSelector(k);
        fixed (float* q = query)
        {
            if (filter is null)
            {
                for (var node = 0; node < _nodeCount; node++)
                    if (!IsDeleted(node)) heap.Add(_rowOf[node], _store.Dot(q, node));
            }
            else
            {
                var words = filter.Words;
                for (var w = 0; w < words.Length; w++)
                    for (var bits = words[w]; bits != 0; bits &= bits - 1)
                    {
                        var row = w * 64 + BitOperations.TrailingZeroCount(bits);
                        if (row < filter.Rows && ContainsRow(row)) heap.Add(row, _store.Dot(q, _nodeOf[row]));
                    }
            }
        }
        return heap.ToSortedArray();
    }

    /// <summary>
    /// From layer <paramref name="top"/> down to just above <paramref name="bottom"/>: the best node found on each
    /// layer is the entry to the next. A beam of <paramref name="ef"/> per layer (<see cref="HnswOptions.UpperLayerEf"/>
    /// inserting, <see cref="UpperLayerEfSearch"/> searching), or the greedy step when that is 1.
    /// </summary>
    private (int Node, float Sim) Descend(float* q, int entry, float sim, int top, int bottom, int ef, SearchContext context, bool locked)
    {
        for (var l = top; l > bottom; l--)
        {
            if (ef <= 1)
            {
                (entry, sim) = GreedyStep(q, entry, sim, l, context, locked);
                continue;
            }
            SearchLayer<AllowAll>(q, entry, sim, ef, l, context, default, locked);
            (entry, sim) = Best(context.Results);
        }
        return (entry, sim);
    }

    /// <summary>Upper layers: move to the best neighbour until none is better (ef = 1).</summary>
    private (int Node, float Sim) GreedyStep(float* q, int entry, float sim, int level, SearchContext context, bool locked)
    {
        var buffer = context.Neighbours;
        for (var changed = true; changed;)
        {
            changed = false;
            var count = ReadLinks(entry, level, buffer, locked);
            for (var i = 0; i < count; i++)
            {
                var candidate = buffer[i];
                var s = _store.Dot(q, candidate);
                if (s > sim) (entry, sim, changed) = (candidate, s, true);
            }
        }
        return (entry, sim);
    }

    /// <summary>
    /// Best-first search of one layer with a beam of ef (Algorithm 2). Nodes the filter rejects are still
    /// expanded — they connect the allowed ones — but never enter the results. Leaves the results (min-heap on
    /// similarity) in context.Results.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SearchLayer<TFilter>(float* q, int entry, float entrySim, int ef, int level, SearchContext context, TFilter filter, bool locked)
        where TFilter : struct, INodeFilter
    {
        var visited = context.Visited;
        var candidates = context.Candidates;
        var results = context.Results;
        var buffer = context.Neighbours;
        var pending = context.Pending;
        visited.Reset();
        candidates.Clear();
        results.Clear();
        visited.TryVisit(entry);
        candidates.Push(-entrySim, entry);
        if (filter.Allowed(entry)) results.Push(entrySim, entry);
        var lowerBound = results.Count > 0 ? results.TopKey : float.NegativeInfinity;
        var store = _store;
        fixed (int* copy = buffer)
        fixed (int* todo = pending)
        {
            while (candidates.Count > 0)
            {
                var sim = -candidates.TopKey;
                if (sim < lowerBound && results.Count >= ef) break;
                var current = candidates.TopNode;
                candidates.Pop();
                // Outside a build nothing writes links, so layer 0 is read in place; during a build the list
                // is copied under the node's lock.
                int count;
                int* ids;
                if (!locked && level == 0)
                {
                    ids = store.Links0(current) + 1;
                    count = ids[-1];
                }
                else
                {
                    count = ReadLinks(current, level, buffer, locked);
                    ids = copy;
                }
                // Unvisited neighbours first, then score them: the next vector is prefetched while the
                // current one is scored (the walk is memory-latency bound), and no bandwidth is spent
                // prefetching nodes already seen.
                var fresh = 0;
                for (var i = 0; i < count; i++)
                    if (visited.TryVisit(ids[i])) todo[fresh++] = ids[i];
                if (fresh > 0) Prefetch(store.Vector(todo[0]));
                for (var i = 0; i < fresh; i++)
                {
                    var node = todo[i];
                    if (i + 1 < fresh) Prefetch(store.Vector(todo[i + 1]));
                    var s = store.Dot(q, node);
                    if (results.Count < ef || s > lowerBound)
                    {
                        candidates.Push(-s, node);
                        if (filter.Allowed(node))
                        {
                            results.Push(s, node);
                            if (results.Count > ef) results.Pop();
                            lowerBound = results.TopKey;
                        }
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Prefetch(byte* vector)
    {
        if (!Sse.IsSupported) return;
        Sse.Prefetch0(vector);
        Sse.Prefetch0(vector + 64);
        Sse.Prefetch0(vector + 128);
        Sse.Prefetch0(vector + 192);
    }

    /// <summary>Copies a node's links into the buffer; during a build under the node's lock, as writers may be active.</summary>
    private int ReadLinks(int node, int level, int[] buffer, bool locked)
    {
        if (locked) Lock(node);
        var links = Links(node, level);
        var count = links[0];
        links.Slice(1, count).CopyTo(buffer);
        if (locked) Unlock(node);
        return count;
    }

    /// <summary>Which nodes may enter the results; a struct so each search loop is compiled for its case.</summary>
    private interface INodeFilter
    {
        bool Allowed(int node);
    }

    private readonly struct AllowAll : INodeFilter
    {
        public bool Allowed(int node) => true;
    }

    private readonly struct AllowLive(HnswIndex index) : INodeFilter
    {
        public bool Allowed(int node) => !index.IsDeleted(node);
    }

    private readonly struct AllowFiltered(HnswIndex index, RowFilter filter) : INodeFilter
    {
        public bool Allowed(int node)
        {
            if (index.IsDeleted(node)) return false;
            var row = index._rowOf[node];
            return row < filter.Rows && filter.Contains(row);
        }
    }

    /// <summary>Per-thread scratch: visited marks, the two heaps, neighbour buffers, and (float16 builds) widened vectors.</summary>
    private sealed class SearchContext(HnswIndex index)
    {
        public VisitedSet Visited { get; private set; } = new(Math.Max(index._levels.Length, 1));
        public NodeHeap Candidates { get; } = new(256);
        public NodeHeap Results { get; } = new(256);
        public NodeHeap Shrink { get; } = new(2 * index._m0 + 2);
        public int[] Neighbours { get; } = new int[index._m0 + 1];
        public int[] Pending { get; } = new int[index._m0 + 1];
        public List<(float Sim, int Node)> Selected { get; } = new(index._m0 + 1);
        public List<(float Sim, int Node)> Kept { get; } = new(index._m0 + 1);
        public List<(float Sim, int Node)> Sorted { get; } = new(256);

        // Three float32 copies of stored vectors that act as queries during a build, one per role, because the
        // roles nest: the node being inserted (Insert), a neighbour whose list is shrunk (Connect), and each
        // candidate tested by the heuristic (SelectNeighbours). Pinned, so a pointer to them stays valid.
        private readonly float[] _query = GC.AllocateArray<float>(index.Dimension, pinned: true);
        private readonly float[] _neighbour = GC.AllocateArray<float>(index.Dimension, pinned: true);
        private readonly float[] _candidate = GC.AllocateArray<float>(index.Dimension, pinned: true);
        public float* Query => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_query));
        public float* Neighbour => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_neighbour));
        public float* Candidate => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_candidate));

        public void EnsureCapacity(int nodes)
        {
            if (Visited.Capacity < nodes) Visited = new VisitedSet(nodes);
        }
    }
}
