namespace MediaGateway.Engine.VectorSearch.Exact;

/// <summary>How an exact index stores its vectors.</summary>
public enum VectorStorage
{
    /// <summary>fp32, bit-exact scores (4 bytes a component).</summary>
    Float32,

    /// <summary>
    /// int8 with one symmetric scale per dimension (1 byte a component): a quarter of the memory traffic,
    /// at the cost of approximate scores (recall loss is measured in the tests and docs/performance.md).
    /// </summary>
    Int8,
}

/// <summary>
/// The database vectors in "panels" of 16 rows: panel p holds rows 16p…16p+15 dimension by dimension
/// (element (row 16p+j, dim d) at p·16·D + d·16 + j). One 512-bit load then gives the same dimension of
/// 16 rows, so the scan kernel multiplies it by a broadcast query component and accumulates 16 scores in
/// one register: a GEMM micro-kernel with no horizontal sums, whose output can be compared with the
/// top-k thresholds directly. Rows are padded with zeros to a whole number of tiles.
/// </summary>
public sealed unsafe class PanelMatrix
{
    public const int PanelWidth = 16;

    /// <summary>Rows are processed two panels (32 rows) at a time; storage is padded to that.</summary>
    public const int TileRows = 2 * PanelWidth;

    // Pinned (pinned object heap) so kernels can use raw pointers without fixed blocks per call.
    private readonly float[]? _f32;
    private readonly sbyte[]? _i8;

    private PanelMatrix(int rows, int dimension, VectorStorage storage)
    {
        (Rows, Dimension, Storage) = (rows, dimension, storage);
        PaddedRows = (rows + TileRows - 1) / TileRows * TileRows;
        var length = (long)PaddedRows * dimension;
        if (length > Array.MaxLength) throw new ArgumentException($"{rows} × {dimension} is too large for one index ({length} elements).");
        // Uninitialised: every panel is written by FillPanel (padding included), so zeroing 1.5 GB first
        // would only double the page-touching cost of a build.
        if (storage == VectorStorage.Float32) _f32 = GC.AllocateUninitializedArray<float>((int)length, pinned: true);
        else
        {
            _i8 = GC.AllocateUninitializedArray<sbyte>((int)length, pinned: true);
            Scales = new float[dimension];
        }
    }

    public int Rows { get; }
    public int PaddedRows { get; }
    public int Dimension { get; }
    public VectorStorage Storage { get; }

    /// <summary>int8 only: the value of one code step in each dimension (component ≈ code · scale).</summary>
    public float[]? Scales { get; }

    public long Bytes => _f32 is not null ? (long)_f32.Length * sizeof(float) : _i8!.LongLength;

    public float* Float32Base => (float*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _f32![0]);
    public sbyte* Int8Base => (sbyte*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _i8![0]);

    /// <summary>Repacks a row-major matrix into panels (one pass, parallel over panels).</summary>
    public static PanelMatrix FromRowMajor(ReadOnlySpan<float> matrix, int rows, int dimension, VectorStorage storage = VectorStorage.Float32)
    {
        if ((long)matrix.Length != (long)rows * dimension)
            throw new ArgumentException($"Matrix has {matrix.Length} floats, expected {rows} × {dimension}.", nameof(matrix));
        var m = new PanelMatrix(rows, dimension, storage);
        fixed (float* src = matrix)
        {
            var srcAddress = (nint)src;
            if (storage == VectorStorage.Int8) m.ComputeScales((float*)srcAddress);
            var panels = m.PaddedRows / PanelWidth;
            Parallel.For(0, (panels + 255) / 256, chunk =>
            {
                var end = Math.Min(panels, (chunk + 1) * 256);
                for (var p = chunk * 256; p < end; p++) m.FillPanel((float*)srcAddress, p);
            });
        }
        return m;
    }

    private void FillPanel(float* src, int panel)
    {
        var d = Dimension;
        var rowsHere = Math.Min(PanelWidth, Rows - panel * PanelWidth);
        var baseOffset = (long)panel * PanelWidth * d;
        if (rowsHere < PanelWidth)
        {
            // The last panels hold padding rows, which must score 0 (they are masked out, but NaN garbage
            // must not reach the compare).
            if (_f32 is not null) new Span<float>(Float32Base + baseOffset, PanelWidth * d).Clear();
            else new Span<sbyte>(Int8Base + baseOffset, PanelWidth * d).Clear();
        }
        if (_f32 is not null && rowsHere == PanelWidth)
        {
            // Full panel: write the destination in order and read the 16 source rows as 16 streams
            // (writing one row at a time would touch a new cache line on every store).
            var dst = Float32Base + baseOffset;
            var first = src + (long)panel * PanelWidth * d;
            for (var c = 0; c < d; c++, dst += PanelWidth)
                for (var j = 0; j < PanelWidth; j++) dst[j] = first[(long)j * d + c];
            return;
        }
        for (var j = 0; j < rowsHere; j++)
        {
            var row = src + (long)(panel * PanelWidth + j) * d;
            if (_f32 is not null)
            {
                var dst = Float32Base + baseOffset + j;
                for (var c = 0; c < d; c++) dst[c * PanelWidth] = row[c];
            }
            else
            {
                var dst = Int8Base + baseOffset + j;
                for (var c = 0; c < d; c++) dst[c * PanelWidth] = Quantize(row[c], Scales![c]);
            }
        }
    }

    private void ComputeScales(float* src)
    {
        // Symmetric per-dimension scale from the largest magnitude: the query is multiplied by the scales
        // once, so decoding costs nothing in the scan.
        var max = new float[Dimension];
        for (long r = 0; r < Rows; r++)
        {
            var row = src + r * Dimension;
            for (var c = 0; c < Dimension; c++) max[c] = Math.Max(max[c], Math.Abs(row[c]));
        }
        for (var c = 0; c < Dimension; c++) Scales![c] = max[c] > 0 ? max[c] / 127f : 1f;
    }

    private static sbyte Quantize(float value, float scale) => (sbyte)Math.Clamp(MathF.Round(value / scale), -127f, 127f);

    /// <summary>Reads one row back (fp32, or dequantised int8), for tests and re-ranking.</summary>
    public void CopyRow(int row, Span<float> destination)
    {
        var panel = row / PanelWidth;
        var j = row % PanelWidth;
        var baseOffset = (long)panel * PanelWidth * Dimension + j;
        for (var c = 0; c < Dimension; c++)
            destination[c] = _f32 is not null ? Float32Base[baseOffset + c * PanelWidth] : Int8Base[baseOffset + c * PanelWidth] * Scales![c];
    }
}
