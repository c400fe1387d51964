namespace MediaGateway.Engine.Kernels.Cuda;

/// <summary>The loaded kernel functions, one module per native/*.cu file.</summary>
internal sealed class CudaKernels : IDisposable
{
    private readonly List<IntPtr> _modules = [];

    public IntPtr TopKStream { get; private set; }
    public IntPtr TopKMma { get; private set; }
    public IntPtr TopKMmaLarge { get; private set; }
    public IntPtr TopKMmaWide { get; private set; }
    public IntPtr TopKMerge { get; private set; }
    public IntPtr Rerank { get; private set; }
    public IntPtr NormalizeRows { get; private set; }
    public IntPtr ConvertF32ToF16 { get; private set; }

    /// <summary>The largest k <c>mg_topk_mma</c> (32 queries per block) takes on this device: 128, or 64 on sm_75 (64 KiB of shared memory per block).</summary>
    public int MmaMaxK { get; private set; }

    /// <summary>The largest k <c>mg_topk_mma_large</c> (64 queries per block) takes on this device: 128 on sm_90, 64 on sm_80, 0 on sm_86/89 and sm_75.</summary>
    public int MmaLargeMaxK { get; private set; }

    /// <summary>The largest k <c>mg_topk_mma_wide</c> (8 queries per block) takes on this device: 1,024 on sm_80/90, 512 on sm_86/89 and sm_75.</summary>
    public int MmaWideMaxK { get; private set; }

    /// <summary>
    /// For the start-up log line: which batches run on the tensor cores, e.g. "tensor cores: k ≤ 128 with 32 queries per block
    /// (64 from batch 64 where shared memory allows, at most k = 128), k ≤ 1024 with 8".
    /// </summary>
    public string TensorCoreSummary(CudaDeviceInfo device)
    {
        if (MmaWideMaxK == 0) return "tensor cores: none (batches stream)";   // 8 queries' lists fit wherever 32 or 64 queries' do
        var large = MmaLargeMaxK > 0 ? $" (64 from batch 64 where shared memory allows, at most k = {MmaLargeMaxK})" : "";
        var summary = MmaMaxK > 0 ? $"tensor cores: k ≤ {MmaMaxK} with 32 queries per block{large}, k ≤ {MmaWideMaxK} with 8" : $"tensor cores: k ≤ {MmaWideMaxK} with 8 queries per block";
        return device.Major < 8 ? summary + " (m16n8k8 pairs)" : summary;
    }

    /// <summary>The function and name of a scan kernel.</summary>
    public (IntPtr Function, string Name) Scan(ScanKernel kernel) => kernel switch
    {
        ScanKernel.TensorCores => (TopKMma, "mg_topk_mma"),
        ScanKernel.TensorCoresLarge => (TopKMmaLarge, "mg_topk_mma_large"),
        ScanKernel.TensorCoresWide => (TopKMmaWide, "mg_topk_mma_wide"),
        _ => (TopKStream, "mg_topk_stream"),
    };

    /// <summary>The planner's view of these kernels on a device of <paramref name="multiprocessors"/> SMs, occupancy from the driver.</summary>
    public ScanDevice ScanDevice(int multiprocessors) => new(multiprocessors, MmaMaxK, MmaLargeMaxK, MmaWideMaxK, (kernel, sharedBytes) =>
    {
        var (function, name) = Scan(kernel);
        return CudaDevice.BlocksPerMultiprocessor(function, name, KernelGeometry.Threads(kernel), sharedBytes);
    });

    /// <summary>How many of the modules came from the on-disk cache (for the start-up log line).</summary>
    public int FromCache { get; private set; }
    public int Compiled { get; private set; }

    public static CudaKernels Load(CudaDevice device, NvrtcCompiler compiler)
    {
        var kernels = new CudaKernels();
        try
        {
            IntPtr Module(string file)
            {
                var image = compiler.Compile(KernelSources.Program(file), out var cached);
                if (cached) kernels.FromCache++; else kernels.Compiled++;
                var module = device.LoadModule(image, file);
                kernels._modules.Add(module);
                return module;
            }
            var stream = Module("topk_stream.cu");
            // On sm_75 NVRTC builds the tensor-core kernels from m16n8k8 MMAs (mg_cuda_compat.h); sm_80 and newer use m16n8k16.
            var mma = Module("topk_mma.cu");
            var merge = Module("topk_merge.cu");
            var rerank = Module("rerank.cu");
            var vectors = Module("vectors.cu");
            kernels.TopKStream = CudaDevice.GetFunction(stream, "mg_topk_stream");
            kernels.TopKMma = CudaDevice.GetFunction(mma, "mg_topk_mma");
            kernels.TopKMmaLarge = CudaDevice.GetFunction(mma, "mg_topk_mma_large");
            kernels.TopKMmaWide = CudaDevice.GetFunction(mma, "mg_topk_mma_wide");
            kernels.TopKMerge = CudaDevice.GetFunction(merge, "mg_topk_merge");
            kernels.Rerank = CudaDevice.GetFunction(rerank, "mg_rerank");
            kernels.NormalizeRows = CudaDevice.GetFunction(vectors, "mg_normalize_rows");
            kernels.ConvertF32ToF16 = CudaDevice.GetFunction(vectors, "mg_convert_f32_to_f16");

            // The widest lists need more than the default 48 KiB; ask once for the most any launch uses.
            var optIn = device.Info.MaxSharedPerBlockOptIn;
            kernels.MmaMaxK = KernelGeometry.MmaMaxKFor(optIn);
            kernels.MmaLargeMaxK = KernelGeometry.MmaLargeMaxKFor(optIn);
            kernels.MmaWideMaxK = KernelGeometry.MmaWideMaxKFor(optIn);
            if (kernels.MmaMaxK > 0)
                CudaDevice.SetMaxDynamicShared(kernels.TopKMma,
                    KernelGeometry.MmaSharedBytes(KernelGeometry.MmaQueries, kernels.MmaMaxK, KernelGeometry.MmaMaxDimension), "mg_topk_mma");
            if (kernels.MmaLargeMaxK > 0)
                CudaDevice.SetMaxDynamicShared(kernels.TopKMmaLarge,
                    KernelGeometry.MmaSharedBytes(KernelGeometry.MmaLargeQueries, kernels.MmaLargeMaxK, KernelGeometry.MmaMaxDimension), "mg_topk_mma_large");
            if (kernels.MmaWideMaxK > 0)
                CudaDevice.SetMaxDynamicShared(kernels.TopKMmaWide,
                    KernelGeometry.MmaSharedBytes(KernelGeometry.MmaWideQueries, kernels.MmaWideMaxK, KernelGeometry.MmaMaxDimension), "mg_topk_mma_wide");
            CudaDevice.SetMaxDynamicShared(kernels.TopKStream, Math.Min(optIn, KernelGeometry.StreamSharedBytes(KernelGeometry.MaxK, 4096)), "mg_topk_stream");
            CudaDevice.SetMaxDynamicShared(kernels.TopKMerge, KernelGeometry.MergeSharedBytes(KernelGeometry.MaxK), "mg_topk_merge");
            return kernels;
        }
        catch
        {
            kernels.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var module in _modules) CudaDriver.cuModuleUnload(module);
        _modules.Clear();
    }
}
