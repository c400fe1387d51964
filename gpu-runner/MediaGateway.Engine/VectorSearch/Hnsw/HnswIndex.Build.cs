using System.Runtime.CompilerServices;

namespace MediaGateway.Engine.VectorSearch.Hnsw;

/// <summary>Insertion (Algorithm 1 of the paper) with the neighbour-selection heuristic (Algorithm 4).</summary>
public sealed unsafe partial class HnswIndex
{
    /// <summary>Links nodes first…end−1 (vectors and levels already stored), in parallel.</summary>
    private void InsertNodes(int first, int end)
    {
        if (first >= end) return;
        if (_entry < 0)
        {
            // The first node is the entry point; inserting a few nodes alone avoids every thread racing to
            // extend a near-empty graph.
            (_entry, _maxLevel) = (first, _levels[first]);
            first++;
        }
        var serial = Math.Min(end, first + 64);
        for (var node = first; node < serial; node++) Insert(node, _contexts.Value!);
        if (serial >= end) return;
        var threads = Options.MaxThreads > 0 ? Options.MaxThreads : Environment.ProcessorCount;
        // Chunks of 64 nodes: little scheduling overhead, and still balanced across threads.
        const int chunk = 64;
        Parallel.For(0, (end - serial + chunk - 1) / chunk, new ParallelOptions { MaxDegreeOfParallelism = threads }, c =>
        {
            var context = _contexts.Value!;
            var stop = Math.Min(end, serial + (c + 1) * chunk);
            for (var node = serial + c * chunk; node < stop; node++) Insert(node, context);
        });
    }

    private void Insert(int node, SearchContext context)
    {
        context.EnsureCapacity(_levels.Length);
        var level = _levels[node];
        var q = _store.AsSingle(node, context.Query);
        int entry, maxLevel;
        var holdsEntryLock = false;
        Monitor.Enter(_entryLock);
        try
        {
            (entry, maxLevel) = (_entry, _maxLevel);
            // A node that will become the new top keeps the lock for its whole insertion (as hnswlib does),
            // so two such nodes cannot both believe they are the top.
            if (level > maxLevel) holdsEntryLock = true;
            else Monitor.Exit(_entryLock);

            var entrySim = _store.Dot(q, entry);
            (entry, entrySim) = Descend(q, entry, entrySim, maxLevel, level, Options.UpperLayerEf, context, locked: true);
            for (var l = Math.Min(level, maxLevel); l >= 0; l--)
            {
                var results = context.Results;
                SearchLayer<AllowAll>(q, entry, entrySim, _efConstruction, l, context, default, locked: true);
                var selected = context.Selected;
                // M links for the new node on every layer (layer 0 may grow to 2M as others link back), as in hnswlib.
                SelectNeighbours(results, _m, context, selected);
                // The best candidate found is the entry point for the next layer down.
                (entry, entrySim) = Best(results);
                Connect(node, l, selected, context);
            }
            if (holdsEntryLock) (_entry, _maxLevel) = (node, level);
        }
        finally
        {
            if (holdsEntryLock) Monitor.Exit(_entryLock);
        }
    }

    private static (int Node, float Sim) Best(NodeHeap results)
    {
        var keys = results.Keys;
        var nodes = results.Nodes;
        var best = 0;
        for (var i = 1; i < keys.Length; i++)
            if (keys[i] > keys[best]) best = i;
        return (nodes[best], keys[best]);
    }

    /// <summary>
    /// Algorithm 4 (keepPrunedConnections = false): take candidates closest first and keep one only if it is
    /// closer to the query than to every neighbour already kept. This keeps links pointing in different
    /// directions, which is what makes clustered data navigable.
    /// </summary>
    private void SelectNeighbours(NodeHeap candidates, int max, SearchContext context, List<(float Sim, int Node)> selected)
    {
        selected.Clear();
        var sorted = context.Sorted;
        sorted.Clear();
        var keys = candidates.Keys;
        var nodes = candidates.Nodes;
        for (var i = 0; i < keys.Length; i++) sorted.Add((keys[i], nodes[i]));
        sorted.Sort(static (a, b) => b.Sim != a.Sim ? b.Sim.CompareTo(a.Sim) : a.Node.CompareTo(b.Node));
        if (sorted.Count <= max)
        {
            selected.AddRange(sorted);
            return;
        }
        foreach (var (sim, node) in sorted)
        {
            var v = _store.AsSingle(node, context.Candidate);
            var keep = true;
            foreach (var (_, other) in selected)
                if (_store.Dot(v, other) > sim) { keep = false; break; }
            if (!keep) continue;
            selected.Add((sim, node));
            if (selected.Count >= max) break;
        }
    }

    /// <summary>Sets the new node's links at layer l and adds it to each neighbour's list, shrinking full lists by the heuristic.</summary>
    private void Connect(int node, int level, List<(float Sim, int Node)> selected, SearchContext context)
    {
        var max = level == 0 ? _m0 : _m;
        Lock(node);
        var own = Links(node, level);
        own[0] = selected.Count;
        for (var i = 0; i < selected.Count; i++) own[1 + i] = selected[i].Node;
        Unlock(node);

        var shrink = context.Shrink;
        foreach (var (_, neighbour) in selected)
        {
            Lock(neighbour);
            try
            {
                var links = Links(neighbour, level);
                var count = links[0];
                var already = false;
                for (var i = 1; i <= count; i++) already |= links[i] == node;
                if (already) continue;
                if (count < max)
                {
                    links[1 + count] = node;
                    links[0] = count + 1;
                    continue;
                }
                // Full: re-select among the old links plus the new node, seen from the neighbour.
                var nv = _store.AsSingle(neighbour, context.Neighbour);
                shrink.Clear();
                shrink.Push(_store.Dot(nv, node), node);
                for (var i = 1; i <= count; i++) shrink.Push(_store.Dot(nv, links[i]), links[i]);
                var kept = context.Kept;
                SelectNeighbours(shrink, max, context, kept);
                links[0] = kept.Count;
                for (var i = 0; i < kept.Count; i++) links[1 + i] = kept[i].Node;
            }
            finally
            {
                Unlock(neighbour);
            }
        }
    }

    /// <summary>The link list of a node at a layer: element 0 is the count, then the node ids.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<int> Links(int node, int level) => level == 0
        ? new Span<int>(_store.Links0(node), _stride0)
        : _upper[node].AsSpan((level - 1) * (_m + 1), _m + 1);

    private void Lock(int node)
    {
        ref var flag = ref _locks[node];
        if (Interlocked.CompareExchange(ref flag, 1, 0) == 0) return;
        var spinner = new SpinWait();
        while (Interlocked.CompareExchange(ref flag, 1, 0) != 0) spinner.SpinOnce(sleep1Threshold: -1);
    }

    private void Unlock(int node) => Volatile.Write(ref _locks[node], 0);
}
