namespace MediaGateway.Engine.VectorSearch.Hnsw;

/// <summary>
/// "Seen in this search" marks as a 16-bit epoch per node: starting a search bumps the epoch instead of
/// clearing N entries, and the array is only cleared when the epoch wraps (every 65,535 searches).
/// </summary>
internal sealed class VisitedSet(int capacity)
{
    private ushort[] _marks = new ushort[capacity];
    private ushort _epoch;

    public int Capacity => _marks.Length;

    public void Reset()
    {
        if (++_epoch == 0)
        {
            Array.Clear(_marks);
            _epoch = 1;
        }
    }

    /// <summary>Marks the node; false when it was already marked in this search.</summary>
    public bool TryVisit(int node)
    {
        ref var mark = ref _marks[node];
        if (mark == _epoch) return false;
        mark = _epoch;
        return true;
    }
}
