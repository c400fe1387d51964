namespace MediaGateway.Engine.VectorStores;

/// <summary>The argument checks every store makes the same way, so callers see the same errors from each.</summary>
public static class VectorStoreArguments
{
    public static void CheckSearch(int queryValues, int queryCount, int k, int dimension, IReadOnlyList<VectorFilter?>? filters)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(queryCount);
        if (queryValues != queryCount * dimension)
            throw new ArgumentException($"Expected {queryCount} queries of {dimension} dimensions ({queryCount * dimension} values), got {queryValues} values.");
        if (filters is not null && filters.Count != queryCount)
            throw new ArgumentException($"Expected one filter entry per query ({queryCount}), got {filters.Count}.");
    }
}
