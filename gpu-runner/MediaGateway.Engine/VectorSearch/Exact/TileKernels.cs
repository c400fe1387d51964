using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MediaGateway.Engine.VectorSearch.Exact;

/// <summary>Reads one dimension of a 16-row panel as 16 floats; the scan kernels are generic over it.</summary>
internal unsafe interface IPanelLoader
{
    static abstract Vector512<float> Load(void* panel, int dim);
    static abstract float LoadScalar(void* panel, int dim, int lane);
}

internal unsafe struct Float32Panels : IPanelLoader
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(void* panel, int dim) => Vector512.Load((float*)panel + dim * PanelMatrix.PanelWidth);

    public static float LoadScalar(void* panel, int dim, int lane) => ((float*)panel)[dim * PanelMatrix.PanelWidth + lane];
}

internal unsafe struct Int8Panels : IPanelLoader
{
    // vpmovsxbd + vcvtdq2ps: 16 codes to 16 floats. The per-dimension scale is already in the query.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(void* panel, int dim) =>
        Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load((sbyte*)panel + dim * PanelMatrix.PanelWidth)));

    public static float LoadScalar(void* panel, int dim, int lane) => ((sbyte*)panel)[dim * PanelMatrix.PanelWidth + lane];
}

/// <summary>
/// Register-blocked micro-kernels: a tile of 32 database rows (two panels) against a group of queries.
/// The 8-query kernel keeps 16 zmm accumulators (8 queries × 2 panels) and, per dimension, does 2 panel
/// loads and 8 broadcasts for 16 FMAs, so it runs at FMA throughput out of L1/L2 — the database tile is
/// read once for the 8 queries, and the block it belongs to once per batch (see <see cref="ExactScanner"/>).
/// Output: <c>scores[q·32 + r]</c>.
/// </summary>
internal static unsafe class TileKernels
{
    public const int GroupSize = 8;

    /// <summary>Vector512 is accelerated (AVX-512F); otherwise the Vector256/scalar fallbacks run.</summary>
    public static bool Wide => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <param name="qt">The group's queries transposed: <c>qt[d·8 + q]</c>.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Score8<TLoad>(float* qt, void* panel0, void* panel1, int dims, float* scores) where TLoad : struct, IPanelLoader
    {
        if (!Wide) { Fallback8<TLoad>(qt, panel0, panel1, dims, scores); return; }
        Vector512<float> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default, a30 = default, a31 = default;
        Vector512<float> a40 = default, a41 = default, a50 = default, a51 = default, a60 = default, a61 = default, a70 = default, a71 = default;
        for (var d = 0; d < dims; d++)
        {
            var x0 = TLoad.Load(panel0, d);
            var x1 = TLoad.Load(panel1, d);
            var q = qt + d * GroupSize;
            var b = Vector512.Create(q[0]); a00 = Avx512F.FusedMultiplyAdd(x0, b, a00); a01 = Avx512F.FusedMultiplyAdd(x1, b, a01);
            b = Vector512.Create(q[1]); a10 = Avx512F.FusedMultiplyAdd(x0, b, a10); a11 = Avx512F.FusedMultiplyAdd(x1, b, a11);
            b = Vector512.Create(q[2]); a20 = Avx512F.FusedMultiplyAdd(x0, b, a20); a21 = Avx512F.FusedMultiplyAdd(x1, b, a21);
            b = Vector512.Create(q[3]); a30 = Avx512F.FusedMultiplyAdd(x0, b, a30); a31 = Avx512F.FusedMultiplyAdd(x1, b, a31);
            b = Vector512.Create(q[4]); a40 = Avx512F.FusedMultiplyAdd(x0, b, a40); a41 = Avx512F.FusedMultiplyAdd(x1, b, a41);
            b = Vector512.Create(q[5]); a50 = Avx512F.FusedMultiplyAdd(x0, b, a50); a51 = Avx512F.FusedMultiplyAdd(x1, b, a51);
            b = Vector512.Create(q[6]); a60 = Avx512F.FusedMultiplyAdd(x0, b, a60); a61 = Avx512F.FusedMultiplyAdd(x1, b, a61);
            b = Vector512.Create(q[7]); a70 = Avx512F.FusedMultiplyAdd(x0, b, a70); a71 = Avx512F.FusedMultiplyAdd(x1, b, a71);
        }
        a00.Store(scores + 0); a01.Store(scores + 16);
        a10.Store(scores + 32); a11.Store(scores + 48);
        a20.Store(scores + 64); a21.Store(scores + 80);
        a30.Store(scores + 96); a31.Store(scores + 112);
        a40.Store(scores + 128); a41.Store(scores + 144);
        a50.Store(scores + 160); a51.Store(scores + 176);
        a60.Store(scores + 192); a61.Store(scores + 208);
        a70.Store(scores + 224); a71.Store(scores + 240);
    }

    /// <summary>One query against 32 rows: memory-bound, so two interleaved accumulator pairs hide FMA latency.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Score1<TLoad>(float* query, void* panel0, void* panel1, int dims, float* scores) where TLoad : struct, IPanelLoader
    {
        if (!Wide) { Fallback1<TLoad>(query, panel0, panel1, dims, scores); return; }
        Vector512<float> a0 = default, a1 = default, c0 = default, c1 = default;
        var d = 0;
        for (; d + 1 < dims; d += 2)
        {
            var b = Vector512.Create(query[d]);
            a0 = Avx512F.FusedMultiplyAdd(TLoad.Load(panel0, d), b, a0);
            a1 = Avx512F.FusedMultiplyAdd(TLoad.Load(panel1, d), b, a1);
            b = Vector512.Create(query[d + 1]);
            c0 = Avx512F.FusedMultiplyAdd(TLoad.Load(panel0, d + 1), b, c0);
            c1 = Avx512F.FusedMultiplyAdd(TLoad.Load(panel1, d + 1), b, c1);
        }
        if (d < dims)
        {
            var b = Vector512.Create(query[d]);
            a0 = Avx512F.FusedMultiplyAdd(TLoad.Load(panel0, d), b, a0);
            a1 = Avx512F.FusedMultiplyAdd(TLoad.Load(panel1, d), b, a1);
        }
        (a0 + c0).Store(scores);
        (a1 + c1).Store(scores + 16);
    }

    // Fallbacks for CPUs without AVX-512: Vector256 for fp32 panels (4 queries × 32 rows = 16 ymm
    // accumulators), plain loops for int8 panels.
    private static void Fallback8<TLoad>(float* qt, void* panel0, void* panel1, int dims, float* scores) where TLoad : struct, IPanelLoader
    {
        if (typeof(TLoad) == typeof(Float32Panels) && Vector256.IsHardwareAccelerated)
        {
            for (var q0 = 0; q0 < GroupSize; q0 += 4) Fallback4x32Float((float*)panel0, (float*)panel1, qt, q0, dims, scores);
            return;
        }
        for (var q = 0; q < GroupSize; q++)
            for (var r = 0; r < PanelMatrix.TileRows; r++)
            {
                var panel = r < PanelMatrix.PanelWidth ? panel0 : panel1;
                var lane = r % PanelMatrix.PanelWidth;
                var sum = 0f;
                for (var d = 0; d < dims; d++) sum += qt[d * GroupSize + q] * TLoad.LoadScalar(panel, d, lane);
                scores[q * PanelMatrix.TileRows + r] = sum;
            }
    }

    private static void Fallback4x32Float(float* p0, float* p1, float* qt, int q0, int dims, float* scores)
    {
        Span<Vector256<float>> acc = stackalloc Vector256<float>[16];
        acc.Clear();
        for (var d = 0; d < dims; d++)
        {
            var o = d * PanelMatrix.PanelWidth;
            var x0 = Vector256.Load(p0 + o); var x1 = Vector256.Load(p0 + o + 8);
            var x2 = Vector256.Load(p1 + o); var x3 = Vector256.Load(p1 + o + 8);
            for (var q = 0; q < 4; q++)
            {
                var b = Vector256.Create(qt[d * GroupSize + q0 + q]);
                acc[q * 4 + 0] = Vector256.FusedMultiplyAdd(x0, b, acc[q * 4 + 0]);
                acc[q * 4 + 1] = Vector256.FusedMultiplyAdd(x1, b, acc[q * 4 + 1]);
                acc[q * 4 + 2] = Vector256.FusedMultiplyAdd(x2, b, acc[q * 4 + 2]);
                acc[q * 4 + 3] = Vector256.FusedMultiplyAdd(x3, b, acc[q * 4 + 3]);
            }
        }
        for (var q = 0; q < 4; q++)
            for (var i = 0; i < 4; i++) acc[q * 4 + i].Store(scores + (q0 + q) * PanelMatrix.TileRows + i * 8);
    }

    private static void Fallback1<TLoad>(float* query, void* panel0, void* panel1, int dims, float* scores) where TLoad : struct, IPanelLoader
    {
        for (var r = 0; r < PanelMatrix.TileRows; r++)
        {
            var panel = r < PanelMatrix.PanelWidth ? panel0 : panel1;
            var lane = r % PanelMatrix.PanelWidth;
            var sum = 0f;
            for (var d = 0; d < dims; d++) sum += query[d] * TLoad.LoadScalar(panel, d, lane);
            scores[r] = sum;
        }
    }
}
