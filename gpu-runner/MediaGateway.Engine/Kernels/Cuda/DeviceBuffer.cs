namespace MediaGateway.Engine.Kernels.Cuda;

/// <summary>A device allocation; freed on dispose.</summary>
internal sealed class DeviceBuffer(ulong pointer, long bytes) : IDisposable
{
    public ulong Pointer { get; private set; } = pointer;
    public long Bytes { get; } = bytes;

    public void Dispose()
    {
        if (Pointer == 0) return;
        CudaDriver.cuMemFree_v2(Pointer);
        Pointer = 0;
    }
}
