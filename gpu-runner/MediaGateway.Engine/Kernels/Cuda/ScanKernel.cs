namespace MediaGateway.Engine.Kernels.Cuda;

/// <summary>The similarity + top-k kernels a search can run (native/topk_stream.cu, native/topk_mma.cu).</summary>
public enum ScanKernel
{
    /// <summary><c>mg_topk_stream</c>: one query per block, reading the catalog at memory speed; small batches, or no tensor cores.</summary>
    Stream,

    /// <summary><c>mg_topk_mma</c>: 32 queries per block on the tensor cores, lists up to k = 128.</summary>
    TensorCores,

    /// <summary><c>mg_topk_mma_large</c>: 64 queries per block on the tensor cores for batches of 64 or more, lists up to k = 128
    /// where the device's shared memory allows: half the catalog reads from L2 of <see cref="TensorCores"/>.</summary>
    TensorCoresLarge,

    /// <summary><c>mg_topk_mma_wide</c>: 8 queries per block on the tensor cores, lists up to k = 1024.</summary>
    TensorCoresWide,
}
