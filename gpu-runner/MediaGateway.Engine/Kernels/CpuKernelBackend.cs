using System.Numerics.Tensors;
using MediaGateway.Engine.VectorSearch;

namespace MediaGateway.Engine.Kernels;

/// <summary>
/// Exact inner-product top-k on the CPU with SIMD dot products (TensorPrimitives) and a k-heap per query.
/// The rows are split into blocks scored in parallel; each block keeps its own heap and the heaps are merged.
/// </summary>
public sealed class CpuKernelBackend : IKernelBackend
{
    private const int RowsPerBlock = 4096;

    private ReadOnlyMemory<float> _matrix;
    private int _rows, _dimension;

    public string Name => "cpu";

    public void Load(ReadOnlyMemory<float> matrix, int rows, int dimension)
    {
        if (matrix.Length != rows * dimension)
            throw new ArgumentException($"Matrix has {matrix.Length} floats, expected {rows} × {dimension}.", nameof(matrix));
        (_matrix, _rows, _dimension) = (matrix, rows, dimension);
    }

    public ScoredRow[][] TopK(ReadOnlySpan<float> queries, int queryCount, int k, IReadOnlyList<RowFilter?>? filters = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (queries.Length != queryCount * _dimension)
            throw new ArgumentException($"Queries have {queries.Length} floats, expected {queryCount} × {_dimension}.", nameof(queries));
        var q = queries.ToArray();
        var results = new ScoredRow[queryCount][];
        var blocks = (_rows + RowsPerBlock - 1) / RowsPerBlock;
        var heapSize = Math.Min(k, Math.Max(_rows, 1));
        for (var qi = 0; qi < queryCount; qi++)
        {
            var filter = filters?[qi];
            var queryOffset = qi * _dimension;
            var partial = new TopKSelector[blocks];
            Parallel.For(0, blocks, b =>
            {
                var heap = new TopKSelector(heapSize);
                var matrix = _matrix.Span;
                var query = q.AsSpan(queryOffset, _dimension);
                var end = Math.Min(_rows, (b + 1) * RowsPerBlock);
                for (var row = b * RowsPerBlock; row < end; row++)
                {
                    if (filter is not null && !filter.Contains(row)) continue;
                    heap.Add(row, TensorPrimitives.Dot(query, matrix.Slice(row * _dimension, _dimension)));
                }
                partial[b] = heap;
            });
            var merged = new TopKSelector(heapSize);
            foreach (var heap in partial) merged.AddAll(heap);
            results[qi] = merged.ToSortedArray();
        }
        return results;
    }

    public void Dispose() { }
}
