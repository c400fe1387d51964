namespace MediaGateway.Engine.VectorSearch;

/// <summary>
/// Keeps the k best of a stream of scores in a binary min-heap: O(N log k), never sorting all N.
/// The heap's root is the current k-th best, so most candidates are rejected by one comparison.
/// </summary>
public sealed class TopKSelector
{
    private readonly ScoredRow[] _heap;
    private int _count;

    public TopKSelector(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        _heap = new ScoredRow[k];
    }

    public int Count => _count;

    /// <summary>The score a candidate must beat to enter (−∞ until the heap is full).</summary>
    public float Threshold => _count < _heap.Length ? float.NegativeInfinity : _heap[0].Score;

    public void Add(int row, float score)
    {
        var candidate = new ScoredRow(row, score);
        if (_count < _heap.Length)
        {
            _heap[_count] = candidate;
            SiftUp(_count++);
        }
        else if (IsWorse(_heap[0], candidate))
        {
            _heap[0] = candidate;
            SiftDown(0);
        }
    }

    public void AddAll(TopKSelector other)
    {
        for (var i = 0; i < other._count; i++) Add(other._heap[i].Row, other._heap[i].Score);
    }

    /// <summary>The kept rows, best first.</summary>
    public ScoredRow[] ToSortedArray()
    {
        var result = _heap.AsSpan(0, _count).ToArray();
        Array.Sort(result, ScoredRow.CompareBestFirst);
        return result;
    }

    // "Worse" is the heap order: lower score, or equal score and higher row.
    private static bool IsWorse(ScoredRow a, ScoredRow b) => ScoredRow.CompareBestFirst(a, b) > 0;

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!IsWorse(_heap[i], _heap[parent])) break;
            (_heap[i], _heap[parent]) = (_heap[parent], _heap[i]);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            var left = 2 * i + 1;
            if (left >= _count) break;
            var worst = left + 1 < _count && IsWorse(_heap[left + 1], _heap[left]) ? left + 1 : left;
            if (!IsWorse(_heap[worst], _heap[i])) break;
            (_heap[i], _heap[worst]) = (_heap[worst], _heap[i]);
            i = worst;
        }
    }
}
