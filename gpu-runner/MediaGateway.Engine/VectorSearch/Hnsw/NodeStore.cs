using System.Runtime.InteropServices;

namespace MediaGateway.Engine.VectorSearch.Hnsw;

/// <summary>
/// The graph's nodes in one 64-byte-aligned native block, node i at i·NodeBytes: its vector (D floats),
/// then its layer-0 link list (count + 2M ids), padded to a whole number of cache lines. Keeping the links
/// beside the vector (as hnswlib does) means that expanding a node whose score was just computed reads
/// lines that are usually already in cache, instead of a second random access into a separate array.
/// Native memory because 1M × 384-d nodes exceed the 2 GB limit of a single managed byte array.
/// </summary>
internal sealed unsafe class NodeStore : IDisposable
{
    private byte* _base;

    public NodeStore(int dimension, int linkInts)
    {
        (Dimension, LinkInts) = (dimension, linkInts);
        NodeBytes = (4 * (dimension + linkInts) + 63) / 64 * 64;
    }

    ~NodeStore() => Free();

    public int Dimension { get; }
    public int LinkInts { get; }
    public int NodeBytes { get; }
    public int Capacity { get; private set; }
    public long Bytes => (long)Capacity * NodeBytes;

    public float* Vector(int node) => (float*)(_base + (long)node * NodeBytes);

    /// <summary>Layer-0 links: [0] is the count, then the ids.</summary>
    public int* Links0(int node) => (int*)(_base + (long)node * NodeBytes + 4L * Dimension);

    public void Grow(int capacity)
    {
        if (capacity <= Capacity) return;
        _base = (byte*)NativeMemory.AlignedRealloc(_base, (nuint)((long)capacity * NodeBytes), 64);
        Capacity = capacity;
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        if (_base is null) return;
        NativeMemory.AlignedFree(_base);
        _base = null;
        Capacity = 0;
    }
}
