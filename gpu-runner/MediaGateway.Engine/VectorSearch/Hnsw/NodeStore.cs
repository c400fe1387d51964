using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MediaGateway.Engine.VectorSearch.Hnsw;

/// <summary>
/// The graph's nodes in one 64-byte-aligned native block, node i at i·NodeBytes: its vector (D float32 or D
/// binary16 components, <see cref="HnswVectorEncoding"/>), then its layer-0 link list (count + 2M ids),
/// padded to a whole number of cache lines. Keeping the links beside the vector (as hnswlib does) means that
/// expanding a node whose score was just computed reads lines that are usually already in cache, instead of
/// a second random access into a separate array. Native memory because 1M × 384-d nodes exceed the 2 GB
/// limit of a single managed byte array.
/// </summary>
internal sealed unsafe class NodeStore : IDisposable
{
    private byte* _base;

    public NodeStore(int dimension, int linkInts, HnswVectorEncoding encoding)
    {
        (Dimension, LinkInts, Encoding) = (dimension, linkInts, encoding);
        VectorBytes = (encoding == HnswVectorEncoding.Float16 ? 2 : 4) * dimension;
        NodeBytes = (VectorBytes + 4 * linkInts + 63) / 64 * 64;
    }

    ~NodeStore() => Free();

    public int Dimension { get; }
    public int LinkInts { get; }
    public HnswVectorEncoding Encoding { get; }
    public bool IsHalf => Encoding == HnswVectorEncoding.Float16;

    /// <summary>Bytes of one stored vector: 4·D (float32) or 2·D (float16).</summary>
    public int VectorBytes { get; }

    public int NodeBytes { get; }
    public int Capacity { get; private set; }
    public long Bytes => (long)Capacity * NodeBytes;

    /// <summary>The stored vector's first byte (float32 or binary16 components, see <see cref="Encoding"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte* Vector(int node) => _base + (long)node * NodeBytes;

    /// <summary>Layer-0 links: [0] is the count, then the ids.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int* Links0(int node) => (int*)(_base + (long)node * NodeBytes + VectorBytes);

    /// <summary>Inner product of a float32 query with a stored vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Dot(float* query, int node) => IsHalf
        ? HalfMath.Dot(query, (ushort*)Vector(node), Dimension)
        : VectorMath.Dot(query, (float*)Vector(node), Dimension);

    /// <summary>
    /// The stored vector as float32: the store itself for float32, else widened into
    /// <paramref name="scratch"/> (D floats). Used where a stored vector acts as the query (the build).
    /// </summary>
    public float* AsSingle(int node, float* scratch)
    {
        if (!IsHalf) return (float*)Vector(node);
        HalfMath.ToSingle((ushort*)Vector(node), scratch, Dimension);
        return scratch;
    }

    public void Write(int node, ReadOnlySpan<float> vector)
    {
        if (IsHalf) HalfMath.ToHalf(vector, (ushort*)Vector(node));
        else vector.CopyTo(new Span<float>(Vector(node), Dimension));
    }

    /// <summary>True when the node holds exactly what <see cref="Write"/> would store for this vector.</summary>
    public bool Holds(int node, ReadOnlySpan<float> vector)
    {
        if (!IsHalf) return new ReadOnlySpan<float>(Vector(node), Dimension).SequenceEqual(vector);
        Span<ushort> encoded = Dimension <= 1024 ? stackalloc ushort[Dimension] : new ushort[Dimension];
        fixed (ushort* e = encoded) HalfMath.ToHalf(vector, e);
        return new ReadOnlySpan<ushort>(Vector(node), Dimension).SequenceEqual(encoded);
    }

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
