using MediaGateway.Engine.Ranking;
using MediaGateway.Engine.VectorSearch;

namespace MediaGateway.Engine.Kernels.Cuda;

/// <summary>
/// Exact inner-product top-k on an NVIDIA GPU. The catalog is uploaded once and stored in fp16 (half
/// the memory and bandwidth of fp32); queries are scored with fp32 accumulation by the kernels in
/// native/, which never write the score matrix: each block keeps a running top-k of its slab, and a
/// merge kernel combines the slabs. Results follow the CPU backend's contract (best first, ties to the
/// lower row, filters as bitsets); scores differ from the CPU's only by fp16 rounding: of the catalog,
/// and on the tensor-core path (batches of 16+ with k ≤ 128) of the queries too — see docs/gpu.md.
///
/// Memory: when the device cannot hold the catalog in one allocation it is split into slices searched
/// one after another; when a batch's work buffers do not fit, the batch is split in halves until it does.
/// Device buffers are kept and reused between calls. Calls are serialised (one stream).
/// k above <see cref="KernelGeometry.MaxK"/> or an unsupported dimension fall back to the CPU backend.
/// </summary>
public sealed class CudaKernelBackend : IKernelBackend
{
    /// <summary>Rows converted per upload step: bounds the fp32 staging buffer (≈ 48 MiB at d = 384).</summary>
    private const int UploadRows = 32_768;

    /// <summary>Smallest catalog slice worth allocating before giving up on the device (settable for tests).</summary>
    internal int MinSliceRows { get; set; } = 65_536;

    /// <summary>Largest dimension the stream kernel holds in shared memory (fp32 query).</summary>
    public const int MaxDimension = 4096;

    private readonly object _gate = new();
    private readonly CudaDevice _device;
    private readonly CudaKernels _kernels;
    private readonly List<(DeviceBuffer Buffer, int RowOffset, int Rows)> _slices = [];
    private readonly Dictionary<string, DeviceBuffer> _workspace = [];
    private ReadOnlyMemory<float> _matrix;
    private int _rows, _dimension;
    private CpuKernelBackend? _cpuFallback;
    private bool _disposed;

    internal CudaKernelBackend(CudaDevice device, CudaKernels kernels)
    {
        (_device, _kernels) = (device, kernels);
        Name = $"cuda:{device.Info.Name} ({device.Info.Architecture})";
    }

    public string Name { get; }

    public CudaDeviceInfo Device => _device.Info;

    /// <summary>Catalog slices on the device (1 unless memory forced a split).</summary>
    public int SliceCount => _slices.Count;

    /// <summary>How often a batch was halved because its work buffers did not fit (diagnostics).</summary>
    public int BatchSplits { get; private set; }

    public void Load(ReadOnlyMemory<float> matrix, int rows, int dimension)
    {
        if (matrix.Length != (long)rows * dimension)
            throw new ArgumentException($"Matrix has {matrix.Length} floats, expected {rows} × {dimension}.", nameof(matrix));
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _device.MakeCurrent();
            FreeCatalog();
            (_matrix, _rows, _dimension, _cpuFallback) = (matrix, rows, dimension, null);
            if (rows == 0 || !GpuCanSearch(dimension)) return;
            AllocateSlices();
            UploadAsHalf(matrix.Span);
            WarmUp();
        }
    }

    public ScoredRow[][] TopK(ReadOnlySpan<float> queries, int queryCount, int k, IReadOnlyList<RowFilter?>? filters = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (queries.Length != (long)queryCount * _dimension)
            throw new ArgumentException($"Queries have {queries.Length} floats, expected {queryCount} × {_dimension}.", nameof(queries));
        if (filters is not null && filters.Count != queryCount)
            throw new ArgumentException($"{filters.Count} filters for {queryCount} queries.", nameof(filters));
        var results = new ScoredRow[queryCount][];
        if (queryCount == 0) return results;
        if (_rows == 0)
        {
            for (var i = 0; i < queryCount; i++) results[i] = [];
            return results;
        }
        var kept = Math.Min(k, _rows);
        if (kept > KernelGeometry.MaxK || !GpuCanSearch(_dimension)) return Cpu().TopK(queries, queryCount, k, filters);
        if (filters is not null)
            foreach (var filter in filters)
                if (filter is not null && filter.Rows != _rows)
                    throw new ArgumentException($"A filter covers {filter.Rows} rows; the catalog has {_rows}.", nameof(filters));

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _device.MakeCurrent();
            var chunk = queryCount;
            for (var first = 0; first < queryCount;)
            {
                var count = Math.Min(chunk, queryCount - first);
                try
                {
                    SearchChunk(queries.Slice(first * _dimension, count * _dimension), count, kept, filters, first, results);
                    first += count;
                }
                catch (CudaException e) when (e.IsOutOfMemory && count > 1)
                {
                    // The work buffers for this many queries do not fit next to the catalog: halve and retry.
                    FreeWorkspace();
                    chunk = Math.Max(1, count / 2);
                    BatchSplits++;
                }
            }
        }
        return results;
    }

    /// <summary>
    /// Ranking scores for candidates with the CUDA re-rank kernel (native/include/mg_scoring.h, the same
    /// formula as <see cref="Scoring"/>).
    /// </summary>
    public float[] Rank(ReadOnlySpan<NativeRerankCandidate> candidates, ScoringWeights weights)
    {
        var scores = new float[candidates.Length];
        if (candidates.IsEmpty) return scores;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _device.MakeCurrent();
            var native = new NativeScoringWeights
            {
                Similarity = weights.Similarity, OntologyMatch = weights.OntologyMatch,
                QualityPrior = weights.QualityPrior, Personalization = weights.Personalization,
            };
            var chunk = candidates.Length;
            for (var first = 0; first < candidates.Length;)
            {
                var count = Math.Min(chunk, candidates.Length - first);
                try
                {
                    RerankChunk(candidates.Slice(first, count), native, scores.AsSpan(first, count));
                    first += count;
                }
                catch (CudaException e) when (e.IsOutOfMemory && count > 1)
                {
                    FreeWorkspace();
                    chunk = Math.Max(1, count / 2);
                }
            }
        }
        return scores;
    }

    private void RerankChunk(ReadOnlySpan<NativeRerankCandidate> candidates, NativeScoringWeights weights, Span<float> scores)
    {
        var input = Workspace("rerank candidates", (long)candidates.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<NativeRerankCandidate>());
        var output = Workspace("rerank scores", (long)candidates.Length * sizeof(float));
        _device.Upload(candidates, input.Pointer);
        var parameters = new NativeRerankParams { Candidates = input.Pointer, OutScores = output.Pointer, Count = candidates.Length, Weights = weights };
        _device.Launch(_kernels.Rerank, "mg_rerank", (candidates.Length + KernelGeometry.RowThreads - 1) / KernelGeometry.RowThreads,
            KernelGeometry.RowThreads, 0, parameters);
        _device.Download(output.Pointer, scores);
        _device.Synchronize("mg_rerank");
    }

    /// <summary>
    /// Device-to-device copy bandwidth in GB/s (read + write counted), the practical ceiling for the
    /// batch-1 scan, which reads the catalog once. Used by the benchmark to report "% of achievable".
    /// </summary>
    internal double MeasureCopyBandwidth(long bytes)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _device.MakeCurrent();
            using var source = _device.Allocate(bytes, "bandwidth probe (source)");
            using var target = _device.Allocate(bytes, "bandwidth probe (target)");
            _device.CopyDeviceToDevice(source.Pointer, target.Pointer, bytes);
            CudaDriver.Check(CudaDriver.cuCtxSynchronize(), "cuCtxSynchronize");
            const int repeats = 10;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < repeats; i++) _device.CopyDeviceToDevice(source.Pointer, target.Pointer, bytes);
            CudaDriver.Check(CudaDriver.cuCtxSynchronize(), "cuCtxSynchronize");
            return 2.0 * bytes * repeats / clock.Elapsed.TotalSeconds / 1e9;
        }
    }

    /// <summary>Whether a search of this shape runs on the tensor cores (and so rounds its queries to fp16); never on sm_75.</summary>
    public bool UsesTensorCores(int queryCount, int k) => _kernels.HasTensorCores && SearchPlanner.UseTensorCores(queryCount, k, _dimension);

    /// <summary>The stream kernel reads rows in 16-byte pieces, so rows must be a multiple of eight fp16 long.</summary>
    private static bool GpuCanSearch(int dimension) => dimension > 0 && dimension % 8 == 0 && dimension <= MaxDimension;

    private CpuKernelBackend Cpu()
    {
        lock (_gate)
        {
            if (_cpuFallback is null)
            {
                _cpuFallback = new CpuKernelBackend();
                _cpuFallback.Load(_matrix, _rows, _dimension);
            }
            return _cpuFallback;
        }
    }

    private void AllocateSlices()
    {
        var sliceRows = _rows;
        for (var offset = 0; offset < _rows;)
        {
            var rows = Math.Min(sliceRows, _rows - offset);
            try
            {
                _slices.Add((_device.Allocate((long)rows * _dimension * 2, $"catalog rows {offset}..{offset + rows} (fp16)"), offset, rows));
                offset += rows;
            }
            catch (CudaException e) when (e.IsOutOfMemory && rows > MinSliceRows)
            {
                sliceRows = Math.Max(MinSliceRows, rows / 2);
            }
        }
    }

    /// <summary>fp32 rows go up in chunks through a staging buffer and are rounded to fp16 on the device.</summary>
    private void UploadAsHalf(ReadOnlySpan<float> matrix)
    {
        // The staging buffer shrinks if memory is tight after the catalog itself was placed.
        var stagingRows = Math.Min(UploadRows, _rows);
        DeviceBuffer? staging = null;
        while (staging is null)
        {
            try
            {
                staging = _device.Allocate((long)stagingRows * _dimension * sizeof(float), "fp32 upload staging");
            }
            catch (CudaException e) when (e.IsOutOfMemory && stagingRows > 1)
            {
                stagingRows /= 2;
            }
        }
        using var _ = staging;
        foreach (var (buffer, rowOffset, rows) in _slices)
            for (var done = 0; done < rows; done += stagingRows)
            {
                var n = Math.Min(stagingRows, rows - done);
                _device.Upload(matrix.Slice((rowOffset + done) * _dimension, n * _dimension), staging.Pointer);
                var parameters = new NativeRowsParams
                {
                    Src = staging.Pointer,
                    Dst = buffer.Pointer + (ulong)((long)done * _dimension * 2),
                    Rows = n,
                    Dim = _dimension,
                };
                var blocks = Math.Min(((long)n * _dimension + KernelGeometry.RowThreads - 1) / KernelGeometry.RowThreads, 65_535);
                _device.Launch(_kernels.ConvertF32ToF16, "mg_convert_f32_to_f16", blocks, KernelGeometry.RowThreads, 0, parameters);
                _device.Synchronize("mg_convert_f32_to_f16");   // the staging buffer is reused next step
            }
    }

    /// <summary>Runs both scan kernels and the merge once, so module loading and first-launch costs are paid at start.</summary>
    private void WarmUp()
    {
        foreach (var queries in new[] { 1, KernelGeometry.MmaQueries })
        {
            var results = new ScoredRow[queries][];
            SearchChunk(new float[queries * _dimension], queries, Math.Min(10, _rows), null, 0, results);
        }
    }

    private void SearchChunk(ReadOnlySpan<float> queries, int count, int k, IReadOnlyList<RowFilter?>? filters, int firstQuery, ScoredRow[][] results)
    {
        var dim = _dimension;
        var queriesF32 = Workspace("queries (fp32)", (long)count * dim * sizeof(float));
        _device.Upload(queries, queriesF32.Pointer);

        var tensorCores = UsesTensorCores(count, k);
        DeviceBuffer? queriesF16 = null;
        if (tensorCores)
        {
            queriesF16 = Workspace("queries (fp16)", (long)count * dim * 2);
            var convert = new NativeRowsParams { Src = queriesF32.Pointer, Dst = queriesF16.Pointer, Rows = count, Dim = dim };
            _device.Launch(_kernels.ConvertF32ToF16, "mg_convert_f32_to_f16", Math.Min(((long)count * dim + 255) / 256, 65_535),
                KernelGeometry.RowThreads, 0, convert);
        }

        var (filterWords, queryFilter, wordsPerFilter) = UploadFilters(filters, firstQuery, count);

        // Per query: the best k of every slice, merged on the host (one slice unless memory forced a split).
        var perSlice = new List<NativeScoredRow[]>();
        foreach (var (buffer, rowOffset, rows) in _slices)
        {
            var plan = SearchPlanner.PlanScan(rows, dim, count, k, _device.Info.Multiprocessors, _kernels.HasTensorCores);
            var passes = SearchPlanner.MergePasses(plan.CandidatesPerQuery, k);
            var candidates = Workspace("slab candidates", count * plan.CandidatesPerQuery * 8);
            var merged = passes.Count > 0 ? Workspace("merge candidates", (long)count * passes[0] * k * 8) : candidates;
            var parameters = new NativeSearchParams
            {
                Catalog = buffer.Pointer,
                QueriesF32 = queriesF32.Pointer,
                QueriesF16 = queriesF16?.Pointer ?? 0,
                FilterWords = filterWords,
                QueryFilter = queryFilter,
                Out = candidates.Pointer,
                Rows = rows,
                RowOffset = rowOffset,
                Dim = dim,
                QueryCount = count,
                K = k,
                KPow2 = plan.KPow2,
                RowsPerSlab = plan.RowsPerSlab,
                SlabCount = plan.SlabCount,
                WordsPerFilter = wordsPerFilter,
            };
            if (plan.TensorCores) _device.Launch(_kernels.TopKMma, "mg_topk_mma", plan.Blocks, plan.Threads, plan.SharedBytes, parameters);
            else _device.Launch(_kernels.TopKStream, "mg_topk_stream", plan.Blocks, plan.Threads, plan.SharedBytes, parameters);

            // Merge passes ping-pong between the two buffers; the first pass's output is the smaller one.
            var (source, target) = (candidates, merged);
            var inPerQuery = plan.CandidatesPerQuery;
            foreach (var lists in passes)
            {
                var merge = new NativeMergeParams
                {
                    In = source.Pointer, Out = target.Pointer, QueryCount = count, InPerQuery = (int)inPerQuery,
                    K = k, KPow2 = plan.KPow2, OutSegments = lists,
                };
                _device.Launch(_kernels.TopKMerge, "mg_topk_merge", (long)count * lists, KernelGeometry.MergeThreads,
                    KernelGeometry.MergeSharedBytes(plan.KPow2), merge);
                inPerQuery = (long)lists * k;
                (source, target) = (target, source);
            }
            var best = new NativeScoredRow[count * k];
            _device.Download<NativeScoredRow>(source.Pointer, best);
            _device.Synchronize("top-k");
            perSlice.Add(best);
        }

        for (var q = 0; q < count; q++)
        {
            var rows = new List<ScoredRow>(k * perSlice.Count);
            foreach (var best in perSlice)
                for (var i = 0; i < k; i++)
                {
                    var r = best[q * k + i];
                    if (r.Row >= 0) rows.Add(new ScoredRow(r.Row, r.Score));
                }
            if (perSlice.Count > 1)
            {
                rows.Sort(ScoredRow.CompareBestFirst);
                if (rows.Count > k) rows.RemoveRange(k, rows.Count - k);
            }
            results[firstQuery + q] = [.. rows];
        }
    }

    /// <summary>Distinct filters go up once each; every query gets the index of its filter (or -1).</summary>
    private (ulong Words, ulong QueryFilter, int WordsPerFilter) UploadFilters(IReadOnlyList<RowFilter?>? filters, int firstQuery, int count)
    {
        if (filters is null) return (0, 0, 0);
        var indexOf = new Dictionary<RowFilter, int>(ReferenceEqualityComparer.Instance);
        var perQuery = new int[count];
        for (var q = 0; q < count; q++)
        {
            var filter = filters[firstQuery + q];
            if (filter is null) { perQuery[q] = -1; continue; }
            if (!indexOf.TryGetValue(filter, out var index)) indexOf[filter] = index = indexOf.Count;
            perQuery[q] = index;
        }
        if (indexOf.Count == 0) return (0, 0, 0);
        var wordsPerFilter = (_rows + 63) / 64;
        var words = Workspace("filter bitsets", (long)indexOf.Count * wordsPerFilter * sizeof(ulong));
        foreach (var (filter, index) in indexOf)
            _device.Upload(filter.Words, words.Pointer + (ulong)((long)index * wordsPerFilter * sizeof(ulong)));
        var queryFilter = Workspace("query filter indexes", (long)count * sizeof(int));
        _device.Upload<int>(perQuery, queryFilter.Pointer);
        return (words.Pointer, queryFilter.Pointer, wordsPerFilter);
    }

    /// <summary>A reusable device buffer of at least <paramref name="bytes"/>, grown (never shrunk) by name.</summary>
    private DeviceBuffer Workspace(string name, long bytes)
    {
        if (_workspace.TryGetValue(name, out var existing))
        {
            if (existing.Bytes >= bytes) return existing;
            existing.Dispose();
            _workspace.Remove(name);
        }
        // Grow with headroom so a slowly rising batch size does not reallocate every call.
        var buffer = _device.Allocate(Math.Max(bytes, bytes + bytes / 4), name);
        _workspace[name] = buffer;
        return buffer;
    }

    private void FreeWorkspace()
    {
        foreach (var buffer in _workspace.Values) buffer.Dispose();
        _workspace.Clear();
    }

    private void FreeCatalog()
    {
        foreach (var slice in _slices) slice.Buffer.Dispose();
        _slices.Clear();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            try
            {
                _device.MakeCurrent();
                FreeWorkspace();
                FreeCatalog();
                _kernels.Dispose();
            }
            finally
            {
                _device.Dispose();
                _disposed = true;
                _cpuFallback?.Dispose();
            }
        }
    }
}
