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

    /// <summary>Every row.</summary>
    public static RowFilter All(int rows)
    {
        var filter = new RowFilter(rows);
        Array.Fill(filter._bits, ~0UL);
        filter.ClearTail();
        return filter;
    }

    /// <summary>The rows in any of <paramref name="sets"/> (none → empty).</summary>
    public static RowFilter Union(int rows, IEnumerable<RowFilter> sets)
    {
        var result = new RowFilter(rows);
        foreach (var s in sets)
            for (var i = 0; i < result._bits.Length; i++) result._bits[i] |= s._bits[i];
        return result;
    }

    /// <summary>The rows in this set and in <paramref name="other"/>, as a new set.</summary>
    public RowFilter Intersect(RowFilter other)
    {
        var result = new RowFilter(Rows);
        for (var i = 0; i < _bits.Length; i++) result._bits[i] = _bits[i] & other._bits[i];
        return result;
    }

    /// <summary>The rows not in this set, as a new set.</summary>
    public RowFilter Complement()
    {
        var result = new RowFilter(Rows);
        for (var i = 0; i < _bits.Length; i++) result._bits[i] = ~_bits[i];
        result.ClearTail();
        return result;
    }

    private void ClearTail()
    {
        if ((Rows & 63) != 0 && _bits.Length > 0) _bits[^1] &= (1UL << (Rows & 63)) - 1;
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
