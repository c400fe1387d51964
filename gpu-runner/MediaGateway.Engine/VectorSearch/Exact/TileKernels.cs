using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MediaGateway.Engine.VectorSearch.Exact;

/// <summary>Reads one dimension of a 16-row panel as 16 floats; the scan kernels are generic over it.</summary>
internal unsafe interface IPanelLoader
{
    static abstract Vector512<float> Load(void* panel, int dim);

    /// <summary>Lanes 8·half … 8·half+7 of one dimension, for CPUs with AVX2 but not AVX-512.</summary>
    static abstract Vector256<float> LoadHalf(void* panel, int dim, int half);

    static abstract float LoadScalar(void* panel, int dim, int lane);
}

internal unsafe struct Float32Panels : IPanelLoader
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(void* panel, int dim) => Vector512.Load((float*)panel + dim * PanelMatrix.PanelWidth);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadHalf(void* panel, int dim, int half) => Vector256.Load((float*)panel + dim * PanelMatrix.PanelWidth + 8 * half);

    public static float LoadScalar(void* panel, int dim, int lane) => ((float*)panel)[dim * PanelMatrix.PanelWidth + lane];
}

internal unsafe struct Int8Panels : IPanelLoader
{
    // vpmovsxbd + vcvtdq2ps: 16 codes to 16 floats. The per-dimension scale is already in the query.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(void* panel, int dim) =>
        Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load((sbyte*)panel + dim * PanelMatrix.PanelWidth)));

    // vpmovsxbd + vcvtdq2ps on 8 codes.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadHalf(void* panel, int dim, int half) =>
        Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32((sbyte*)panel + dim * PanelMatrix.PanelWidth + 8 * half));

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

    /// <summary>
    /// One query against 32 rows. Each row's products are summed in dimension order with one FMA after another,
    /// exactly as <see cref="Score8"/> sums them, so a query gets bit-identical scores alone and in a batch (ties
    /// and rounded scores do not change with the batch a request happened to share). The FMA chains are no
    /// bound here: one query's scan waits on memory.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Score1<TLoad>(float* query, void* panel0, void* panel1, int dims, float* scores) where TLoad : struct, IPanelLoader
    {
        if (!Wide) { Fallback1<TLoad>(query, panel0, panel1, dims, scores); return; }
        Vector512<float> a0 = default, a1 = default;
        for (var d = 0; d < dims; d++)
        {
            var b = Vector512.Create(query[d]);
            a0 = Avx512F.FusedMultiplyAdd(TLoad.Load(panel0, d), b, a0);
            a1 = Avx512F.FusedMultiplyAdd(TLoad.Load(panel1, d), b, a1);
        }
        a0.Store(scores);
        a1.Store(scores + 16);
    }

    /// <summary>AVX2 without AVX-512 (many cloud CPUs, this project's CI machines among them); otherwise plain loops.</summary>
    public static bool Narrow => !Wide && Avx2.IsSupported && Fma.IsSupported;

    // Fallbacks for CPUs without AVX-512. AVX2: the same register blocking in 256-bit halves — 4 queries × 32
    // rows in 16 ymm accumulators for a group, 4 for one query, summed in the same order (see Score1).
    // Neither: plain loops (correct, slow; no x86 CPU this runs on in practice lacks AVX2).
    private static void Fallback8<TLoad>(float* qt, void* panel0, void* panel1, int dims, float* scores) where TLoad : struct, IPanelLoader
    {
        if (Narrow)
        {
            for (var q0 = 0; q0 < GroupSize; q0 += 4) Narrow4x32<TLoad>(panel0, panel1, qt, q0, dims, scores);
            return;
        }
        for (var q = 0; q < GroupSize; q++)
            for (var r = 0; r < PanelMatrix.TileRows; r++)
                scores[q * PanelMatrix.TileRows + r] = ScalarDot<TLoad>(qt + q, GroupSize, r < PanelMatrix.PanelWidth ? panel0 : panel1, r % PanelMatrix.PanelWidth, dims);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Narrow4x32<TLoad>(void* p0, void* p1, float* qt, int q0, int dims, float* scores) where TLoad : struct, IPanelLoader
    {
        Vector256<float> a00 = default, a01 = default, a02 = default, a03 = default, a10 = default, a11 = default, a12 = default, a13 = default;
        Vector256<float> a20 = default, a21 = default, a22 = default, a23 = default, a30 = default, a31 = default, a32 = default, a33 = default;
        for (var d = 0; d < dims; d++)
        {
            var x0 = TLoad.LoadHalf(p0, d, 0); var x1 = TLoad.LoadHalf(p0, d, 1);
            var x2 = TLoad.LoadHalf(p1, d, 0); var x3 = TLoad.LoadHalf(p1, d, 1);
            var q = qt + d * GroupSize + q0;
            var b = Vector256.Create(q[0]);
            a00 = Fma.MultiplyAdd(x0, b, a00); a01 = Fma.MultiplyAdd(x1, b, a01); a02 = Fma.MultiplyAdd(x2, b, a02); a03 = Fma.MultiplyAdd(x3, b, a03);
            b = Vector256.Create(q[1]);
            a10 = Fma.MultiplyAdd(x0, b, a10); a11 = Fma.MultiplyAdd(x1, b, a11); a12 = Fma.MultiplyAdd(x2, b, a12); a13 = Fma.MultiplyAdd(x3, b, a13);
            b = Vector256.Create(q[2]);
            a20 = Fma.MultiplyAdd(x0, b, a20); a21 = Fma.MultiplyAdd(x1, b, a21); a22 = Fma.MultiplyAdd(x2, b, a22); a23 = Fma.MultiplyAdd(x3, b, a23);
            b = Vector256.Create(q[3]);
            a30 = Fma.MultiplyAdd(x0, b, a30); a31 = Fma.MultiplyAdd(x1, b, a31); a32 = Fma.MultiplyAdd(x2, b, a32); a33 = Fma.MultiplyAdd(x3, b, a33);
        }
        var s = scores + q0 * PanelMatrix.TileRows;
        a00.Store(s); a01.Store(s + 8); a02.Store(s + 16); a03.Store(s + 24);
        a10.Store(s + 32); a11.Store(s + 40); a12.Store(s + 48); a13.Store(s + 56);
        a20.Store(s + 64); a21.Store(s + 72); a22.Store(s + 80); a23.Store(s + 88);
        a30.Store(s + 96); a31.Store(s + 104); a32.Store(s + 112); a33.Store(s + 120);
    }

    private static void Fallback1<TLoad>(float* query, void* panel0, void* panel1, int dims, float* scores) where TLoad : struct, IPanelLoader
    {
        if (!Narrow)
        {
            for (var r = 0; r < PanelMatrix.TileRows; r++)
                scores[r] = ScalarDot<TLoad>(query, 1, r < PanelMatrix.PanelWidth ? panel0 : panel1, r % PanelMatrix.PanelWidth, dims);
            return;
        }
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        for (var d = 0; d < dims; d++)
        {
            var b = Vector256.Create(query[d]);
            a0 = Fma.MultiplyAdd(TLoad.LoadHalf(panel0, d, 0), b, a0); a1 = Fma.MultiplyAdd(TLoad.LoadHalf(panel0, d, 1), b, a1);
            a2 = Fma.MultiplyAdd(TLoad.LoadHalf(panel1, d, 0), b, a2); a3 = Fma.MultiplyAdd(TLoad.LoadHalf(panel1, d, 1), b, a3);
        }
        a0.Store(scores); a1.Store(scores + 8); a2.Store(scores + 16); a3.Store(scores + 24);
    }

    /// <param name="queryStride">Distance between consecutive dimensions of the query (1 row-major, 8 transposed).</param>
    private static float ScalarDot<TLoad>(float* query, int queryStride, void* panel, int lane, int dims) where TLoad : struct, IPanelLoader
    {
        var sum = 0f;
        for (var d = 0; d < dims; d++) sum += query[d * queryStride] * TLoad.LoadScalar(panel, d, lane);
        return sum;
    }
}
