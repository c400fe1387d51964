using System.Numerics;
using System.Runtime.Intrinsics;

namespace MediaGateway.Engine.VectorSearch.Exact;

/// <summary>
/// Exact inner-product top-k over a <see cref="PanelMatrix"/>, for a batch of queries at once.
/// <list type="bullet">
/// <item>The rows are cut into blocks of <see cref="BlockRows"/> (≈384 KB of fp32, L2-resident); every query
/// group of 8 is scored against a block before moving on, so each block comes from memory once per batch
/// — the same blocking a GEMM does, with top-k selection fused in instead of writing an N×Q score matrix.</item>
/// <item>Blocks are shared among worker threads; each worker keeps its own heap per query and the heaps are
/// merged at the end under the total order of <see cref="ScoredRow.CompareBestFirst"/>, so the answer does
/// not depend on which thread scanned what.</item>
/// <item>A tile's 32 scores are compared with the query's current k-th best in one vector compare; only
/// rows that beat it (and pass the filter bitset, ANDed into the same mask) touch the heap. N scores are
/// never sorted or stored.</item>
/// </list>
/// </summary>
public sealed unsafe class ExactScanner
{
    public const int BlockRows = 256;
    private const int Tile = PanelMatrix.TileRows;
    private const int Group = TileKernels.GroupSize;

    private readonly PanelMatrix _matrix;

    public ExactScanner(PanelMatrix matrix, int maxThreads = 0)
    {
        _matrix = matrix;
        MaxThreads = maxThreads > 0 ? maxThreads : Environment.ProcessorCount;
    }

    /// <summary>True when the AVX-512 kernels run (else the Vector256/scalar fallbacks).</summary>
    public static bool UsesAvx512 => TileKernels.Wide;

    /// <summary>The 256-bit kernels run (AVX2 + FMA without AVX-512).</summary>
    public static bool UsesAvx2 => TileKernels.Narrow;

    public PanelMatrix Matrix => _matrix;
    public int MaxThreads { get; }

    public ScoredRow[][] Search(ReadOnlySpan<float> queries, int queryCount, int k, IReadOnlyList<RowFilter?>? filters = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var dims = _matrix.Dimension;
        if ((long)queries.Length != (long)queryCount * dims)
            throw new ArgumentException($"Queries have {queries.Length} floats, expected {queryCount} × {dims}.", nameof(queries));
        if (filters is not null && filters.Count != queryCount)
            throw new ArgumentException($"Got {filters.Count} filters for {queryCount} queries; pass one (or null) per query.", nameof(filters));
        if (queryCount == 0) return [];
        if (_matrix.Rows == 0) return Enumerable.Range(0, queryCount).Select(_ => Array.Empty<ScoredRow>()).ToArray();

        var job = new ScanJob(_matrix, queries, queryCount, Math.Min(k, _matrix.Rows), filters);
        var blocks = (_matrix.PaddedRows + BlockRows - 1) / BlockRows;
        // Small scans (the 3k-row demo catalog) are faster on one thread than after a Parallel.For hand-off.
        var work = (long)_matrix.Rows * queryCount * dims;
        var threads = work < 8_000_000 ? 1 : Math.Min(MaxThreads, blocks);
        var partials = new List<TopKSelector[]>();
        if (threads == 1)
        {
            partials.Add(job.NewHeaps());
            job.ScanBlocks(0, blocks, partials[0]);
        }
        else
        {
            // Several chunks per thread so a thread slowed by other load does not hold up the batch.
            var chunkBlocks = Math.Max(1, blocks / (threads * 8));
            var chunks = (blocks + chunkBlocks - 1) / chunkBlocks;
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, job.NewHeaps,
                (chunk, _, heaps) =>
                {
                    job.ScanBlocks(chunk * chunkBlocks, Math.Min(blocks, (chunk + 1) * chunkBlocks), heaps);
                    return heaps;
                },
                heaps => { lock (partials) partials.Add(heaps); });
        }
        return job.Merge(partials);
    }

    /// <summary>One batch: the queries laid out for the kernels, the filters as raw words, the heap size.</summary>
    private sealed class ScanJob
    {
        private readonly PanelMatrix _m;
        private readonly int _queryCount, _heapSize, _groups;
        private readonly float[] _transposed; // per group of 8: [d][8], pre-scaled for int8 storage
        private readonly float[] _rowMajor;   // single-query path: [q][d], pre-scaled for int8 storage
        private readonly ulong[]?[] _filterWords;
        private readonly int[] _filterRows;
        private readonly bool _anyFilter;

        public ScanJob(PanelMatrix m, ReadOnlySpan<float> queries, int queryCount, int heapSize, IReadOnlyList<RowFilter?>? filters)
        {
            (_m, _queryCount, _heapSize) = (m, queryCount, heapSize);
            var dims = m.Dimension;
            _groups = (queryCount + Group - 1) / Group;
            _rowMajor = GC.AllocateArray<float>(queryCount * dims, pinned: true);
            queries.CopyTo(_rowMajor);
            if (m.Scales is { } scales)
                for (var q = 0; q < queryCount; q++)
                    for (var d = 0; d < dims; d++) _rowMajor[q * dims + d] *= scales[d];
            _transposed = GC.AllocateArray<float>(_groups * Group * dims, pinned: true);
            for (var q = 0; q < queryCount; q++)
                for (var d = 0; d < dims; d++)
                    _transposed[(q / Group) * Group * dims + d * Group + q % Group] = _rowMajor[q * dims + d];
            _filterWords = new ulong[]?[queryCount];
            _filterRows = new int[queryCount];
            for (var q = 0; q < queryCount; q++)
            {
                if (filters?[q] is not { } f) continue;
                (_filterWords[q], _filterRows[q]) = (f.Bits, f.Rows);
                _anyFilter = true;
            }
        }

        public TopKSelector[] NewHeaps()
        {
            var heaps = new TopKSelector[_queryCount];
            for (var q = 0; q < heaps.Length; q++) heaps[q] = new TopKSelector(_heapSize);
            return heaps;
        }

        public void ScanBlocks(int firstBlock, int endBlock, TopKSelector[] heaps)
        {
            var dims = _m.Dimension;
            var scores = stackalloc float[Group * Tile];
            var allowed = stackalloc uint[Group];
            var panelStride = (long)PanelMatrix.PanelWidth * dims;
            fixed (float* qt = _transposed)
            fixed (float* qr = _rowMajor)
            {
                for (var block = firstBlock; block < endBlock; block++)
                {
                    var blockStart = block * BlockRows;
                    var blockEnd = Math.Min(_m.PaddedRows, blockStart + BlockRows);
                    for (var g = 0; g < _groups; g++)
                    {
                        var q0 = g * Group;
                        var inGroup = Math.Min(Group, _queryCount - q0);
                        for (var rowBase = blockStart; rowBase < blockEnd; rowBase += Tile)
                        {
                            var any = 0u;
                            for (var i = 0; i < inGroup; i++) any |= allowed[i] = AllowedMask(q0 + i, rowBase);
                            if (any == 0) continue; // every query's filter excludes the whole tile
                            var panel0 = PanelPointer(rowBase / PanelMatrix.PanelWidth, panelStride);
                            var panel1 = PanelPointer(rowBase / PanelMatrix.PanelWidth + 1, panelStride);
                            if (inGroup == 1)
                            {
                                var query = qr + (long)q0 * dims;
                                if (_m.Storage == VectorStorage.Float32) TileKernels.Score1<Float32Panels>(query, panel0, panel1, dims, scores);
                                else TileKernels.Score1<Int8Panels>(query, panel0, panel1, dims, scores);
                            }
                            else
                            {
                                var group = qt + (long)g * Group * dims;
                                if (_m.Storage == VectorStorage.Float32) TileKernels.Score8<Float32Panels>(group, panel0, panel1, dims, scores);
                                else TileKernels.Score8<Int8Panels>(group, panel0, panel1, dims, scores);
                            }
                            for (var i = 0; i < inGroup; i++) Collect(heaps[q0 + i], scores + i * Tile, rowBase, allowed[i]);
                        }
                    }
                }
            }
        }

        private void* PanelPointer(int panel, long panelStride) => _m.Storage == VectorStorage.Float32
            ? _m.Float32Base + panel * panelStride
            : _m.Int8Base + panel * panelStride;

        /// <summary>Bit r: row rowBase+r exists and passes the query's filter.</summary>
        private uint AllowedMask(int query, int rowBase)
        {
            var valid = rowBase + Tile <= _m.Rows ? uint.MaxValue : rowBase >= _m.Rows ? 0u : (1u << (_m.Rows - rowBase)) - 1;
            if (!_anyFilter || _filterWords[query] is not { } words) return valid;
            // rowBase is a multiple of 32, so the tile is one half of one 64-bit word.
            var wordIndex = rowBase >> 6;
            var bits = wordIndex < words.Length ? (uint)(words[wordIndex] >> (rowBase & 63)) : 0u;
            // Rows past the filter's size are not in it.
            if (rowBase + Tile > _filterRows[query])
                bits &= rowBase >= _filterRows[query] ? 0u : (1u << (_filterRows[query] - rowBase)) - 1;
            return valid & bits;
        }

        private static void Collect(TopKSelector heap, float* scores, int rowBase, uint allowed)
        {
            // 256-bit compares: accelerated on every x86-64 CPU this runs on (512-bit ones are emulated without AVX-512).
            var threshold = Vector256.Create(heap.Threshold);
            var above = Vector256.GreaterThanOrEqual(Vector256.Load(scores), threshold).ExtractMostSignificantBits()
                        | Vector256.GreaterThanOrEqual(Vector256.Load(scores + 8), threshold).ExtractMostSignificantBits() << 8
                        | Vector256.GreaterThanOrEqual(Vector256.Load(scores + 16), threshold).ExtractMostSignificantBits() << 16
                        | Vector256.GreaterThanOrEqual(Vector256.Load(scores + 24), threshold).ExtractMostSignificantBits() << 24;
            var candidates = above & allowed;
            while (candidates != 0)
            {
                var r = BitOperations.TrailingZeroCount(candidates);
                heap.Add(rowBase + r, scores[r]);
                candidates &= candidates - 1;
            }
        }

        public ScoredRow[][] Merge(List<TopKSelector[]> partials)
        {
            var results = new ScoredRow[_queryCount][];
            for (var q = 0; q < _queryCount; q++)
            {
                var merged = partials[0][q];
                for (var p = 1; p < partials.Count; p++) merged.AddAll(partials[p][q]);
                results[q] = merged.ToSortedArray();
            }
            return results;
        }
    }
}
