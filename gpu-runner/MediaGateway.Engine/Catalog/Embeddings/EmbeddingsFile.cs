using System.IO.MemoryMappedFiles;
using System.Numerics.Tensors;

namespace MediaGateway.Engine.Catalog.Embeddings;

/// <summary>
/// A precomputed embeddings matrix on disk, memory-mapped read-only: a NumPy <c>.npy</c> file (versions 1–3,
/// '&lt;f4' or '&lt;f2', C order, shape (rows, dimension)) or a raw little-endian file of rows × dimension
/// components, float32 when named <c>*.f32</c>/<c>*.fp32</c>, float16 when named <c>*.f16</c>/<c>*.fp16</c>
/// (a raw file carries no shape, so its dimension is the caller's). Row i belongs to the catalog's i-th
/// record. Nothing is read into managed memory until a caller asks for rows; a 5M × 384 float32 file (7.7 GB)
/// is served by the page cache and shared with every other process mapping it.
/// </summary>
public sealed unsafe class EmbeddingsFile : IDisposable
{
    /// <summary>A row whose norm is further than this from 1 is not "unit length" (float16 rounding moves norms by ~10⁻⁴).</summary>
    public const double UnitNormTolerance = 0.01;

    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private byte* _pointer;
    private readonly byte* _data;

    private EmbeddingsFile(string path, EmbeddingElementType type, long rows, int dimension, long dataOffset, long length)
    {
        (Path, ElementType, Rows, Dimension) = (path, type, rows, dimension);
        _map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        _view = _map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref _pointer);
        _data = _pointer + _view.PointerOffset + dataOffset;
    }

    public string Path { get; }
    public EmbeddingElementType ElementType { get; }
    public long Rows { get; }
    public int Dimension { get; }
    private int ElementBytes => ElementType == EmbeddingElementType.Float16 ? 2 : 4;

    /// <summary>
    /// Opens and maps a file, checking its header (for .npy) and that its length is exactly the rows it declares.
    /// <paramref name="dimension"/> is required for raw files; for .npy files, when given, it must match the shape.
    /// </summary>
    public static EmbeddingsFile Open(string path, int? dimension = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Embeddings file '{path}' does not exist.", path);
        // The length of what the path leads to (FileInfo.Length of a symbolic link is the link's own length).
        long length;
        using (var handle = File.OpenHandle(path)) length = RandomAccess.GetLength(handle);
        var extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
        if (extension == ".npy")
        {
            NpyHeader header;
            using (var stream = File.OpenRead(path)) header = NpyHeader.Read(stream, path);
            if (dimension is { } d && header.Columns != d)
                throw NpyHeader.Bad(path, $"its rows have {header.Columns} dimensions, the embedding model has {d}; the file must come from the same model");
            var expected = header.DataOffset + header.Rows * header.Columns * (header.ElementType == EmbeddingElementType.Float16 ? 2L : 4L);
            if (length < expected) throw NpyHeader.Bad(path, $"it is truncated: {length} bytes, but shape ({header.Rows}, {header.Columns}) needs {expected}");
            if (length > expected) throw NpyHeader.Bad(path, $"it has {length - expected} bytes after the ({header.Rows}, {header.Columns}) array");
            return new EmbeddingsFile(path, header.ElementType, header.Rows, header.Columns, header.DataOffset, length);
        }
        var type = extension switch
        {
            ".f32" or ".fp32" => EmbeddingElementType.Float32,
            ".f16" or ".fp16" => EmbeddingElementType.Float16,
            _ => throw NpyHeader.Bad(path, $"'{extension}' is not a known embeddings format: use .npy, or raw little-endian .f32/.fp32 or .f16/.fp16"),
        };
        var dims = dimension ?? throw new ArgumentException($"A raw embeddings file ('{path}') has no shape: pass the dimension.", nameof(dimension));
        var rowBytes = (long)dims * (type == EmbeddingElementType.Float16 ? 2 : 4);
        if (length % rowBytes != 0)
            throw NpyHeader.Bad(path, $"it is {length} bytes, not a whole number of {dims}-dimension {type} rows ({rowBytes} bytes each): truncated, or another dimension or dtype");
        return new EmbeddingsFile(path, type, length / rowBytes, dims, 0, length);
    }

    /// <summary>
    /// Rows first … first+count−1 of a float32 file as one span over the mapping (no copy). A span holds at
    /// most 2³¹−1 floats: 5.5M rows of 384.
    /// </summary>
    public ReadOnlySpan<float> Float32Rows(long first, int count)
    {
        if (ElementType != EmbeddingElementType.Float32) throw new InvalidOperationException($"'{Path}' holds float16; use CopyRow.");
        if (first < 0 || count < 0 || first + count > Rows) throw new ArgumentOutOfRangeException(nameof(count));
        return new ReadOnlySpan<float>((float*)_data + first * Dimension, checked(count * Dimension));
    }

    /// <summary>One row as float32 (float16 files are widened).</summary>
    public void CopyRow(long row, Span<float> destination)
    {
        if ((ulong)row >= (ulong)Rows) throw new ArgumentOutOfRangeException(nameof(row));
        if (ElementType == EmbeddingElementType.Float32) new ReadOnlySpan<float>((float*)_data + row * Dimension, Dimension).CopyTo(destination);
        else TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>((Half*)_data + row * Dimension, Dimension), destination[..Dimension]);
    }

    /// <summary>
    /// Checks every row is finite and of unit length (within <see cref="UnitNormTolerance"/>), reading the
    /// mapping in place; throws <see cref="InvalidDataException"/> naming the first bad row.
    /// </summary>
    public void CheckAll()
    {
        Span<float> row = Dimension <= 4096 ? stackalloc float[Dimension] : new float[Dimension];
        for (long r = 0; r < Rows; r++)
        {
            var norm = RowNorm(r, row);
            if (Math.Abs(norm - 1) > UnitNormTolerance) throw NotUnit(r, norm);
        }
    }

    /// <summary>
    /// The rows of <paramref name="sourceRows"/> (file row numbers, in the catalog's order) as one float32
    /// matrix, each row checked finite and scaled to exactly unit length. A row further than
    /// <see cref="UnitNormTolerance"/> from unit length is an error unless <paramref name="normalise"/>;
    /// zero rows always are.
    /// </summary>
    public float[] ToMatrix(IReadOnlyList<int> sourceRows, bool normalise)
    {
        var matrix = new float[checked(sourceRows.Count * Dimension)];
        for (var i = 0; i < sourceRows.Count; i++)
        {
            var row = matrix.AsSpan(i * Dimension, Dimension);
            var norm = RowNorm(sourceRows[i], row);
            if (norm == 0) throw Bad(sourceRows[i], "is all zeros, which has no direction");
            if (!normalise && Math.Abs(norm - 1) > UnitNormTolerance) throw NotUnit(sourceRows[i], norm);
            TensorPrimitives.Divide(row, (float)norm, row);
        }
        return matrix;
    }

    private double RowNorm(long r, Span<float> row)
    {
        CopyRow(r, row);
        var sumOfSquares = TensorPrimitives.SumOfSquares(row);
        if (!float.IsFinite(sumOfSquares))
        {
            var at = FirstNonFinite(row);
            throw Bad(r, at >= 0 ? $"has a non-finite component ({row[at]} at dimension {at})" : "has components too large to square");
        }
        return Math.Sqrt(sumOfSquares);
    }

    private static int FirstNonFinite(ReadOnlySpan<float> row)
    {
        for (var i = 0; i < row.Length; i++)
            if (!float.IsFinite(row[i])) return i;
        return -1;
    }

    private InvalidDataException NotUnit(long row, double norm) =>
        Bad(row, $"has norm {norm:G6}, not 1 (±{UnitNormTolerance}); embeddings must be unit length (set MediaGateway:Engine:CatalogEmbeddingsNormalise=true to scale them)");

    private InvalidDataException Bad(long row, string problem) =>
        new($"Embeddings file '{Path}': row {row} {problem}.");

    public void Dispose()
    {
        if (_pointer != null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _pointer = null;
        }
        _view.Dispose();
        _map.Dispose();
    }
}
