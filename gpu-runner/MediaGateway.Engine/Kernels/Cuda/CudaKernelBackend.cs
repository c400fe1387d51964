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
/// One entry point per kernel family: <see cref="Search"/> (scan + merge), <see cref="Rerank"/>, and the
/// fp32 → fp16 conversion in <see cref="Upload"/>. Memory is planned up front by <see cref="DeviceMemoryPlanner"/>
/// from cuMemGetInfo — catalog slices, upload steps, queries per call — never found by catching an
/// out-of-memory error. Device buffers are kept and reused between calls. Calls are serialised (one stream).
/// What this backend cannot do (k above <see cref="KernelGeometry.MaxK"/>, a dimension that is not a multiple
/// of 8) it refuses with an exception; choosing another backend is <see cref="KernelBackendSelector"/>'s job.
/// </summary>
public sealed class CudaKernelBackend : IKernelBackend
{
    /// <summary>Largest dimension the stream kernel holds in shared memory (fp32 query).</summary>
    public const int MaxDimension = 4096;

    /// <summary>Largest catalog slice in bytes (fp16); tests shrink it to exercise slicing on a small catalog.</summary>
    internal long MaxSliceBytes { get; set; } = DeviceMemoryPlanner.DefaultMaxSliceBytes;

    private readonly object _gate = new();
    private readonly CudaDevice _device;
    private readonly CudaKernels _kernels;
    private readonly ScanDevice _allKernels;
    private readonly List<(DeviceBuffer Buffer, int RowOffset, int Rows)> _slices = [];
    private readonly Dictionary<string, DeviceBuffer> _workspace = [];
    private int _rows, _dimension;
    private bool _disposed;

    internal CudaKernelBackend(CudaDevice device, CudaKernels kernels)
    {
        (_device, _kernels) = (device, kernels);
        _scanDevice = _allKernels = kernels.ScanDevice(device.Info.Multiprocessors);
        Name = $"cuda:{device.Info.Name} ({device.Info.Architecture})";
    }

    public string Name { get; }

    public CudaDeviceInfo Device => _device.Info;

    /// <summary>Catalog slices on the device (1 unless memory forced a split).</summary>
    public int SliceCount => _slices.Count;

    /// <summary>
    /// The planner's view of this device and its kernels, as <see cref="BatchKernelTuner"/> left it at load; the benchmark
    /// sets it to time one kernel against another on the same batch (under the lock, so never during a search).
    /// </summary>
    internal ScanDevice ScanDevice
    {
        get => Volatile.Read(ref _scanDevice);
        set { lock (_gate) _scanDevice = value; }
    }

    private ScanDevice _scanDevice;

    /// <summary>The planner's view with every kernel this device has, before tuning.</summary>
    internal ScanDevice UntunedScanDevice => _allKernels;

    /// <summary>When and how the batch kernels are timed at load (tests shrink it).</summary>
    internal KernelTuning Tuning { get; set; } = KernelTuning.Default;

    /// <summary>Which tensor-core kernel takes large batches on the loaded catalog, and why (for the log), e.g.
    /// "batches of 64+: 64 queries per block up to k = 32, 32 above (scan of 1,024 queries over 5,000,000 rows, ms with 64 queries per block / 32:
    /// k = 32: 31.200 / 36.000; k = 64: 38.100 / 37.400)".</summary>
    public string BatchKernel { get; private set; } = "no catalog loaded";

    /// <summary>When set, every search records CUDA events between its stages (the benchmark's time breakdown).</summary>
    internal StageTimeline? Timeline { get; set; }

    /// <summary>How many search calls the memory plan split into several, because their work buffers did not fit at once (diagnostics).</summary>
    public int BatchSplits { get; private set; }

    /// <summary>Whether the kernels can search rows of this length: 16-byte loads need a multiple of eight fp16.</summary>
    public static bool SupportsDimension(int dimension) => dimension > 0 && dimension % 8 == 0 && dimension <= MaxDimension;

    public void Load(ReadOnlyMemory<float> matrix, int rows, int dimension)
    {
        if (matrix.Length != (long)rows * dimension)
            throw new ArgumentException($"Matrix has {matrix.Length} floats, expected {rows} × {dimension}.", nameof(matrix));
        Load([matrix], dimension);
    }

    /// <summary>
    /// The catalog from consecutive blocks of whole rows: one .NET array holds at most about 2^31 floats
    /// (5.6M rows at d = 384), so a larger catalog (10M rows, 7.7 GB on the device in fp16) comes in several.
    /// </summary>
    public void Load(IReadOnlyList<ReadOnlyMemory<float>> blocks, int dimension)
    {
        if (!SupportsDimension(dimension))
            throw new NotSupportedException($"The CUDA kernels need a dimension that is a multiple of 8 and at most {MaxDimension}; got {dimension}.");
        long total = 0;
        foreach (var block in blocks)
        {
            if (block.Length % dimension != 0)
                throw new ArgumentException($"A block of {block.Length} floats is not whole rows of {dimension}.", nameof(blocks));
            total += block.Length / dimension;
        }
        if (total > int.MaxValue) throw new ArgumentException($"{total} rows exceed the backend's row index.", nameof(blocks));
        var rows = (int)total;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _device.MakeCurrent();
            FreeWorkspace();
            FreeCatalog();
            (_rows, _dimension, BatchKernel, ScanDevice) = (0, dimension, "no catalog loaded", _allKernels);
            if (rows == 0) return;
            var budget = AvailableBytes();
            foreach (var (first, count) in DeviceMemoryPlanner.CatalogSlices(budget, rows, dimension, MaxSliceBytes))
                _slices.Add((_device.Allocate((long)count * dimension * 2, $"catalog rows {first}..{first + count} (fp16)"), first, count));
            Upload(blocks, DeviceMemoryPlanner.UploadRows(budget - (long)rows * dimension * 2, rows, dimension));
            _rows = rows;
            // A tuning batch whose buffers do not fit beside the catalog ends the timing at that list size (BatchKernelTuner).
            (ScanDevice, BatchKernel) = BatchKernelTuner.Choose(_allKernels, Tuning, _rows, _dimension, TuningScanMilliseconds);
            // The work buffers only grow: those of the tuning batch (1,024 queries at k up to 128) are not kept for searches
            // that may never need them; the warm-up then sizes them for small searches on the kernels the tuning chose.
            FreeWorkspace();
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
        ArgumentOutOfRangeException.ThrowIfGreaterThan(kept, KernelGeometry.MaxK, nameof(k));
        if (filters is not null)
            foreach (var filter in filters)
                if (filter is not null && filter.Rows != _rows)
                    throw new ArgumentException($"A filter covers {filter.Rows} rows; the catalog has {_rows}.", nameof(filters));

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _device.MakeCurrent();
            SearchInPlannedCalls(queries, queryCount, kept, filters, results);
        }
        return results;
    }

    /// <summary>As many queries per <see cref="Search"/> call as the memory plan allows (all of them, unless memory is short).</summary>
    private void SearchInPlannedCalls(ReadOnlySpan<float> queries, int queryCount, int k, IReadOnlyList<RowFilter?>? filters, ScoredRow[][] results)
    {
        var distinctFilters = filters?.Where(f => f is not null).Distinct(ReferenceEqualityComparer.Instance).Count() ?? 0;
        var perCall = DeviceMemoryPlanner.QueriesPerCall(WorkspaceBudget(), queryCount, _slices.Max(s => s.Rows), _rows, _dimension, k,
            ScanDevice, distinctFilters);
        if (perCall < queryCount) BatchSplits++;
        var needed = DeviceMemoryPlanner.SearchCallBytes(perCall, _slices.Max(s => s.Rows), _rows, _dimension, k,
            ScanDevice, distinctFilters);
        ReleaseWorkspaceUnlessFree(needed);
        for (var first = 0; first < queryCount; first += perCall)
        {
            var count = Math.Min(perCall, queryCount - first);
            Search(queries.Slice(first * _dimension, count * _dimension), count, k, filters, first, results);
        }
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
            var perCall = DeviceMemoryPlanner.CandidatesPerRankCall(WorkspaceBudget(), candidates.Length,
                System.Runtime.CompilerServices.Unsafe.SizeOf<NativeRerankCandidate>());
            ReleaseWorkspaceUnlessFree((long)Math.Ceiling(perCall * (System.Runtime.CompilerServices.Unsafe.SizeOf<NativeRerankCandidate>() + sizeof(float))
                * DeviceMemoryPlanner.WorkspaceGrowth));
            for (var first = 0; first < candidates.Length; first += perCall)
            {
                var count = Math.Min(perCall, candidates.Length - first);
                Rerank(candidates.Slice(first, count), native, scores.AsSpan(first, count));
            }
        }
        return scores;
    }

    private void Rerank(ReadOnlySpan<NativeRerankCandidate> candidates, NativeScoringWeights weights, Span<float> scores)
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

    /// <summary>Device-to-device copy bandwidth in GB/s, the batch-1 scan's ceiling (for the benchmark).</summary>
    internal double MeasureCopyBandwidth(long bytes)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _device.MakeCurrent();
            return _device.MeasureCopyBandwidth(bytes);
        }
    }

    /// <summary>Whether a search of this shape runs on the tensor cores (and so rounds its queries to fp16).</summary>
    public bool UsesTensorCores(int queryCount, int k) => ScanKernelFor(queryCount, k) != ScanKernel.Stream;

    /// <summary>The scan kernel a search of this shape runs on this device.</summary>
    public ScanKernel ScanKernelFor(int queryCount, int k) => SearchPlanner.ChooseKernel(queryCount, k, _dimension, ScanDevice);

    /// <summary>Free device memory less the planner's reserve.</summary>
    private long AvailableBytes()
    {
        var (free, total) = _device.MemoryInfo();
        return free - DeviceMemoryPlanner.Reserve(total);
    }

    /// <summary>What work buffers may use: the free memory plus the buffers already held (they are reused or replaced).</summary>
    private long WorkspaceBudget() => AvailableBytes() + _workspace.Values.Sum(b => b.Bytes);

    /// <summary>
    /// The plan counted the buffers already held as reusable; when a call's buffers would not fit beside them,
    /// they are released first, so the call's allocations always fit.
    /// </summary>
    private void ReleaseWorkspaceUnlessFree(long neededBytes)
    {
        if (neededBytes > AvailableBytes()) FreeWorkspace();
    }

    /// <summary>
    /// fp32 rows go up in steps through a staging buffer and are rounded to fp16 on the device. A step never
    /// crosses a source block or a catalog slice, so each is one contiguous copy and one conversion.
    /// </summary>
    private void Upload(IReadOnlyList<ReadOnlyMemory<float>> blocks, int stepRows)
    {
        using var staging = _device.Allocate((long)stepRows * _dimension * sizeof(float), "fp32 upload staging");
        var (block, blockFirstRow) = (0, 0);
        foreach (var (buffer, sliceFirstRow, sliceRows) in _slices)
            for (var row = sliceFirstRow; row < sliceFirstRow + sliceRows;)
            {
                while (row >= blockFirstRow + blocks[block].Length / _dimension) blockFirstRow += blocks[block++].Length / _dimension;
                var blockRows = blocks[block].Length / _dimension;
                var n = Math.Min(stepRows, Math.Min(sliceFirstRow + sliceRows - row, blockFirstRow + blockRows - row));
                _device.Upload(blocks[block].Span.Slice((row - blockFirstRow) * _dimension, n * _dimension), staging.Pointer);
                var parameters = new NativeRowsParams
                {
                    Src = staging.Pointer,
                    Dst = buffer.Pointer + (ulong)((long)(row - sliceFirstRow) * _dimension * 2),
                    Rows = n,
                    Dim = _dimension,
                };
                var blocksOfThreads = Math.Min(((long)n * _dimension + KernelGeometry.RowThreads - 1) / KernelGeometry.RowThreads, 65_535);
                _device.Launch(_kernels.ConvertF32ToF16, "mg_convert_f32_to_f16", blocksOfThreads, KernelGeometry.RowThreads, 0, parameters);
                _device.Synchronize("mg_convert_f32_to_f16");   // the staging buffer is reused next step
                row += n;
            }
    }

    /// <summary>
    /// Runs the stream and the 32-query tensor-core scan and the merge once, so module loading and first-launch costs are
    /// paid at start (the other tensor-core kernels share the 32-query one's module; the tuning runs the 64-query one). The warm-up
    /// queries are not zero: with every score equal, every row would tie the lists' k-th score and enter them, and the
    /// small tensor-core buffers would fold on every sub-tile of the whole catalog.
    /// </summary>
    private void WarmUp()
    {
        foreach (var queries in new[] { 1, KernelGeometry.MmaQueries })
            SearchInPlannedCalls(SpreadQueries(queries), queries, Math.Min(10, _rows), null, new ScoredRow[queries][]);
    }

    /// <summary>Fixed queries with their values spread over [-1, 1] (not zero: see <see cref="WarmUp"/>).</summary>
    private float[] SpreadQueries(int count)
    {
        var vectors = new float[count * _dimension];
        for (var i = 0; i < vectors.Length; i++) vectors[i] = (i * 7919 % 2003 - 1001) / 1001f;
        return vectors;
    }

    /// <summary>
    /// For <see cref="BatchKernelTuner"/>: the fastest scan (CUDA events around the scan kernel) of the tuning batch at
    /// <paramref name="k"/> with the planner seeing <paramref name="device"/>, after one untimed search that sizes the work buffers.
    /// </summary>
    private double TuningScanMilliseconds(ScanDevice device, int k)
    {
        var (savedDevice, savedTimeline, batch) = (ScanDevice, Timeline, Tuning.Batch);
        var queries = SpreadQueries(batch);
        ScanDevice = device;
        try
        {
            SearchInPlannedCalls(queries, batch, Math.Min(k, _rows), null, new ScoredRow[batch][]);
            using var timeline = new StageTimeline();
            Timeline = timeline;
            var fastest = double.MaxValue;
            for (var i = 0; i < Tuning.Repeats; i++)
            {
                SearchInPlannedCalls(queries, batch, Math.Min(k, _rows), null, new ScoredRow[batch][]);
                fastest = Math.Min(fastest, timeline.Collect().GetValueOrDefault("scan"));
            }
            return fastest;
        }
        finally
        {
            Timeline = savedTimeline;
            ScanDevice = savedDevice;
        }
    }

    /// <summary>
    /// One search call, in the stages the benchmark times: the queries (and filters) go up; on every catalog slice the
    /// scan kernel leaves each query's best k per slab and the merge passes reduce those to one list; the lists come
    /// down, and the slices' lists are merged on the host (one slice unless memory forced a split).
    /// </summary>
    private void Search(ReadOnlySpan<float> queries, int count, int k, IReadOnlyList<RowFilter?>? filters, int firstQuery, ScoredRow[][] results)
    {
        Timeline?.Record(_device, null);
        var (queriesF32, queriesF16) = UploadQueries(queries, count, UsesTensorCores(count, k));
        var (filterWords, queryFilter, wordsPerFilter) = UploadFilters(filters, firstQuery, count);
        Timeline?.Record(_device, "upload");

        var perSlice = new List<NativeScoredRow[]>();
        foreach (var (buffer, rowOffset, rows) in _slices)
        {
            var plan = SearchPlanner.PlanScan(rows, _dimension, count, k, ScanDevice);
            var candidates = Workspace("slab candidates", count * plan.CandidatesPerQuery * 8);
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
                Dim = _dimension,
                QueryCount = count,
                K = k,
                KPow2 = plan.KPow2,
                RowsPerSlab = plan.RowsPerSlab,
                SlabCount = plan.SlabCount,
                WordsPerFilter = wordsPerFilter,
            };
            var (scan, scanName) = _kernels.Scan(plan.Kernel);
            _device.Launch(scan, scanName, plan.Blocks, plan.Threads, plan.SharedBytes, parameters);
            Timeline?.Record(_device, "scan");

            var merged = MergeOnDevice(candidates, plan, count, k);
            Timeline?.Record(_device, "merge");
            var best = new NativeScoredRow[count * k];
            _device.Download<NativeScoredRow>(merged.Pointer, best);
            Timeline?.Record(_device, "download");
            _device.Synchronize("top-k");
            perSlice.Add(best);
        }
        MergeSlicesOnHost(perSlice, count, k, firstQuery, results);
    }

    /// <summary>The queries in fp32 (the stream kernel's), and rounded to fp16 on the device for the tensor cores.</summary>
    private (DeviceBuffer F32, DeviceBuffer? F16) UploadQueries(ReadOnlySpan<float> queries, int count, bool tensorCores)
    {
        var f32 = Workspace("queries (fp32)", (long)count * _dimension * sizeof(float));
        _device.Upload(queries, f32.Pointer);
        if (!tensorCores) return (f32, null);
        var f16 = Workspace("queries (fp16)", (long)count * _dimension * 2);
        var convert = new NativeRowsParams { Src = f32.Pointer, Dst = f16.Pointer, Rows = count, Dim = _dimension };
        _device.Launch(_kernels.ConvertF32ToF16, "mg_convert_f32_to_f16", Math.Min(((long)count * _dimension + 255) / 256, 65_535),
            KernelGeometry.RowThreads, 0, convert);
        return (f32, f16);
    }

    /// <summary>
    /// Merge passes until each query has one list of k (<see cref="SearchPlanner.MergePasses"/>), ping-ponging between the
    /// scan's candidates and a second buffer; returns the buffer holding the result.
    /// </summary>
    private DeviceBuffer MergeOnDevice(DeviceBuffer candidates, ScanPlan plan, int count, int k)
    {
        var passes = SearchPlanner.MergePasses(plan.CandidatesPerQuery, k);
        if (passes.Count == 0) return candidates;
        var (source, target) = (candidates, Workspace("merge candidates", (long)count * passes[0] * k * 8));
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
        return source;
    }

    /// <summary>Each query's lists from every slice, as one best-first list of at most k (empty slots dropped).</summary>
    private static void MergeSlicesOnHost(List<NativeScoredRow[]> perSlice, int count, int k, int firstQuery, ScoredRow[][] results)
    {
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
        // Grow with headroom so a slowly rising batch size does not reallocate every call (the plan counts it).
        var buffer = _device.Allocate((long)Math.Ceiling(bytes * DeviceMemoryPlanner.WorkspaceGrowth), name);
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
            }
        }
    }
}
