namespace MediaGateway.Engine.VectorSearch.Hnsw;

/// <summary>
/// A binary min-heap of (key, node) in two flat arrays. The search keeps results as a min-heap on
/// similarity (root = worst kept) and candidates as a min-heap on −similarity (root = best unexpanded).
/// </summary>
internal sealed class NodeHeap(int capacity)
{
    private float[] _keys = new float[Math.Max(capacity, 4)];
    private int[] _nodes = new int[Math.Max(capacity, 4)];

    public int Count { get; private set; }
    public float TopKey => _keys[0];
    public int TopNode => _nodes[0];

    public void Clear() => Count = 0;

    public void Push(float key, int node)
    {
        if (Count == _keys.Length)
        {
            Array.Resize(ref _keys, Count * 2);
            Array.Resize(ref _nodes, Count * 2);
        }
        var i = Count++;
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (_keys[parent] <= key) break;
            _keys[i] = _keys[parent];
            _nodes[i] = _nodes[parent];
            i = parent;
        }
        _keys[i] = key;
        _nodes[i] = node;
    }

    public void Pop()
    {
        var last = --Count;
        if (last == 0) return;
        var key = _keys[last];
        var node = _nodes[last];
        var i = 0;
        while (true)
        {
            var child = 2 * i + 1;
            if (child >= last) break;
            if (child + 1 < last && _keys[child + 1] < _keys[child]) child++;
            if (_keys[child] >= key) break;
            _keys[i] = _keys[child];
            _nodes[i] = _nodes[child];
            i = child;
        }
        _keys[i] = key;
        _nodes[i] = node;
    }

    /// <summary>The entries in heap order (unsorted), for draining without popping.</summary>
    public ReadOnlySpan<float> Keys => _keys.AsSpan(0, Count);
    public ReadOnlySpan<int> Nodes => _nodes.AsSpan(0, Count);
}
