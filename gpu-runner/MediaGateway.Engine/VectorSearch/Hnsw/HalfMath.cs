using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MediaGateway.Engine.VectorSearch.Hnsw;

/// <summary>
/// Inner products of a float32 query with binary16 (<see cref="Half"/>) vectors, widening in SIMD registers.
/// <para>.NET exposes no F16C/AVX-512 FP16 conversion intrinsic, so halves are widened by bit manipulation:
/// for the magnitude bits m (exponent and mantissa, 15 bits), the float32 whose bits are m &lt;&lt; 13 is the
/// half's value times 2⁻¹¹², for normal halves (the exponent lands 112 below its float32 bias) and for
/// subnormals and zero alike (they become float32 subnormals with the same mantissa), so one multiply by
/// 2¹¹² restores the value exactly; the sign bit moves from bit 15 to bit 31. Infinities and NaN are not
/// handled (they would come out finite): the store never holds them, because vectors are checked finite
/// before they are encoded.</para>
/// </summary>
internal static unsafe class HalfMath
{
    private const float Scale = 5.192296858534828e33f; // 2^112

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(float* q, ushort* h, int dims)
    {
        if (Vector512.IsHardwareAccelerated && (dims & 31) == 0)
        {
            Vector512<float> s0 = default, s1 = default;
            for (var i = 0; i < dims; i += 32)
            {
                var (lo, hi) = Vector512.Widen(Vector512.Load(h + i));
                s0 = Vector512.FusedMultiplyAdd(Vector512.Load(q + i), Widen(lo), s0);
                s1 = Vector512.FusedMultiplyAdd(Vector512.Load(q + i + 16), Widen(hi), s1);
            }
            return Vector512.Sum(s0 + s1);
        }
        if (Vector256.IsHardwareAccelerated && (dims & 15) == 0)
        {
            Vector256<float> s0 = default, s1 = default;
            for (var i = 0; i < dims; i += 16)
            {
                var (lo, hi) = Vector256.Widen(Vector256.Load(h + i));
                s0 = Vector256.FusedMultiplyAdd(Vector256.Load(q + i), Widen(lo), s0);
                s1 = Vector256.FusedMultiplyAdd(Vector256.Load(q + i + 8), Widen(hi), s1);
            }
            return Vector256.Sum(s0 + s1);
        }
        var sum = 0f;
        for (var i = 0; i < dims; i++) sum += q[i] * (float)BitConverter.UInt16BitsToHalf(h[i]);
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Widen(Vector512<uint> bits)
    {
        var magnitude = Vector512.ShiftLeft(bits & Vector512.Create(0x7FFFu), 13);
        var sign = Vector512.ShiftLeft(bits & Vector512.Create(0x8000u), 16);
        return ((magnitude.AsSingle() * Vector512.Create(Scale)).AsUInt32() | sign).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Widen(Vector256<uint> bits)
    {
        var magnitude = Vector256.ShiftLeft(bits & Vector256.Create(0x7FFFu), 13);
        var sign = Vector256.ShiftLeft(bits & Vector256.Create(0x8000u), 16);
        return ((magnitude.AsSingle() * Vector256.Create(Scale)).AsUInt32() | sign).AsSingle();
    }

    /// <summary>Halves to floats (vectorised by TensorPrimitives), for a stored vector used as a query during the build.</summary>
    public static void ToSingle(ushort* h, float* destination, int dims) =>
        TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>(h, dims), new Span<float>(destination, dims));

    public static void ToHalf(ReadOnlySpan<float> source, ushort* destination) =>
        TensorPrimitives.ConvertToHalf(source, new Span<Half>(destination, source.Length));
}
