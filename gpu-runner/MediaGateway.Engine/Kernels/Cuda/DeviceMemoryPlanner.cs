namespace MediaGateway.Engine.Kernels.Cuda;

/// <summary>
/// Plans the GPU backend's memory up front from what cuMemGetInfo reports, the way FAISS's
/// chooseTileSize does, instead of allocating and halving on out-of-memory: how the catalog is cut into
/// slices, how many rows go up per upload step, and how many queries one search call takes so that its
/// work buffers fit. Pure arithmetic over the same sizes the backend allocates, so it is unit-tested without
/// a GPU and the backend never catches an allocation failure to find out.
/// </summary>
public static class DeviceMemoryPlanner
{
    /// <summary>Rows converted per upload step at most: bounds the fp32 staging buffer (≈ 48 MiB at d = 384).</summary>
    public const int MaxUploadRows = 32_768;

    /// <summary>One allocation holds at most this much catalog (fp16); larger catalogs go up in slices searched in turn.</summary>
    public const long DefaultMaxSliceBytes = 4L << 30;

    /// <summary>Work buffers grow with this headroom (see the backend's Workspace), so plans count it too.</summary>
    public const double WorkspaceGrowth = 1.25;

    /// <summary>
    /// Memory left to the driver, the modules and anyone else on the device: a twentieth of the total, at
    /// most 1 GiB. Planning to the last byte would fail on fragmentation and on the context's own growth.
    /// </summary>
    public static long Reserve(long totalBytes) => Math.Min(totalBytes / 20, 1L << 30);

    /// <summary>The catalog's slices: (first row, rows) each, every slice at most <paramref name="maxSliceBytes"/>.</summary>
    /// <exception cref="InsufficientDeviceMemoryException">The catalog and one upload step do not fit in <paramref name="budgetBytes"/>.</exception>
    public static IReadOnlyList<(int FirstRow, int Rows)> CatalogSlices(long budgetBytes, int rows, int dim, long maxSliceBytes = DefaultMaxSliceBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
        var rowBytes = (long)dim * 2;
        var catalogBytes = rows * rowBytes;
        var oneStagingRow = (long)dim * sizeof(float);
        if (catalogBytes + oneStagingRow > budgetBytes)
            throw new InsufficientDeviceMemoryException(
                $"the catalog needs {Describe(catalogBytes)} of device memory (fp16) and {Describe(budgetBytes)} is available");
        var sliceRows = (int)Math.Clamp(maxSliceBytes / rowBytes, 1, rows);
        var slices = new List<(int, int)>();
        for (var first = 0; first < rows; first += sliceRows) slices.Add((first, Math.Min(sliceRows, rows - first)));
        return slices;
    }

    /// <summary>Rows per upload step: the fp32 staging buffer takes at most half of what the catalog left.</summary>
    public static int UploadRows(long budgetAfterCatalogBytes, int rows, int dim)
    {
        var fit = budgetAfterCatalogBytes / 2 / ((long)dim * sizeof(float));
        return (int)Math.Clamp(fit, 1, Math.Min(rows, MaxUploadRows));
    }

    /// <summary>
    /// The device bytes one search call of <paramref name="queries"/> queries allocates on a slice of
    /// <paramref name="sliceRows"/> rows: the queries (fp32, and fp16 on the tensor cores), the distinct filters'
    /// bitsets over the whole catalog and each query's filter index, the scan's candidate lists and the first
    /// merge pass's output — with the growth headroom the backend allocates.
    /// </summary>
    public static long SearchCallBytes(int queries, int sliceRows, int catalogRows, int dim, int k, ScanDevice device, int distinctFilters)
    {
        var plan = SearchPlanner.PlanScan(sliceRows, dim, queries, k, device);
        var passes = SearchPlanner.MergePasses(plan.CandidatesPerQuery, k);
        long bytes = (long)queries * dim * sizeof(float);
        if (plan.TensorCores) bytes += (long)queries * dim * 2;
        if (distinctFilters > 0)
            bytes += (long)Math.Min(distinctFilters, queries) * ((catalogRows + 63) / 64) * sizeof(ulong) + (long)queries * sizeof(int);
        bytes += queries * plan.CandidatesPerQuery * 8;
        if (passes.Count > 0) bytes += (long)queries * passes[0] * k * 8;
        return (long)Math.Ceiling(bytes * WorkspaceGrowth);
    }

    /// <summary>
    /// How many of <paramref name="queryCount"/> queries one search call takes: all of them when their work
    /// buffers fit in <paramref name="budgetBytes"/>, else the largest count that fits (halving keeps the
    /// calls even and the tensor-core groups whole).
    /// </summary>
    /// <exception cref="InsufficientDeviceMemoryException">Not even one query's buffers fit.</exception>
    public static int QueriesPerCall(long budgetBytes, int queryCount, int sliceRows, int catalogRows, int dim, int k,
        ScanDevice device, int distinctFilters)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queryCount, 1);
        for (var queries = queryCount; ; queries = (queries + 1) / 2)
        {
            var bytes = SearchCallBytes(queries, sliceRows, catalogRows, dim, k, device, distinctFilters);
            if (bytes <= budgetBytes) return queries;
            if (queries == 1)
                throw new InsufficientDeviceMemoryException(
                    $"one query's search buffers need {Describe(bytes)} of device memory and {Describe(budgetBytes)} is available");
        }
    }

    /// <summary>Candidates one re-rank call takes: its input (<paramref name="candidateBytes"/> each) and a score each.</summary>
    public static int CandidatesPerRankCall(long budgetBytes, int candidates, int candidateBytes)
    {
        var perCandidate = (long)Math.Ceiling((candidateBytes + sizeof(float)) * WorkspaceGrowth);
        var fit = budgetBytes / perCandidate;
        if (fit < 1) throw new InsufficientDeviceMemoryException($"no device memory left for re-ranking ({Describe(budgetBytes)} available)");
        return (int)Math.Min(candidates, fit);
    }

    private static string Describe(long bytes) => bytes >= 1L << 30 ? $"{bytes / (double)(1L << 30):F1} GiB"
        : bytes >= 1L << 20 ? $"{bytes / (double)(1L << 20):F1} MiB" : $"{bytes} bytes";
}
