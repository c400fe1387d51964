using System.Numerics;

namespace MediaGateway.Engine.VectorSearch;

/// <summary>A set of allowed rows as a bitset: one bit per catalog row, checked inside the scan.</summary>
public sealed class RowFilter
{
    private readonly ulong[] _bits;

    public RowFilter(int rows)
    {
        Rows = rows;
        _bits = new ulong[(rows + 63) / 64];
    }

    public int Rows { get; }

    public ReadOnlySpan<ulong> Words => _bits;

    /// <summary>The words themselves, for scans that capture them in worker closures (read-only by convention).</summary>
    internal ulong[] Bits => _bits;

    public static RowFilter FromPredicate(int rows, Func<int, bool> allowed)
    {
        var filter = new RowFilter(rows);
        for (var i = 0; i < rows; i++)
            if (allowed(i)) filter.Set(i);
        return filter;
    }

    public void Set(int row) => _bits[row >> 6] |= 1UL << (row & 63);

    public bool Contains(int row) => (_bits[row >> 6] & (1UL << (row & 63))) != 0;

    public int Count()
    {
        var n = 0;
        foreach (var w in _bits) n += BitOperations.PopCount(w);
        return n;
    }
}

/// <summary>A catalog row and its similarity to the query.</summary>
public readonly record struct ScoredRow(int Row, float Score)
{
    /// <summary>Best first; equal scores go to the lower row, so results never depend on thread timing.</summary>
    public static int CompareBestFirst(ScoredRow a, ScoredRow b)
    {
        var byScore = b.Score.CompareTo(a.Score);
        return byScore != 0 ? byScore : a.Row.CompareTo(b.Row);
    }
}
