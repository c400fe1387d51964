using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MediaGateway.Engine.VectorSearch;

/// <summary>Single-pair inner products for the graph index, where pairs are random and latency matters.</summary>
public static unsafe class VectorMath
{
    /// <summary>
    /// Dot product. For dimensions that are a multiple of 64 (384 for MiniLM) it runs four independent
    /// 512-bit accumulators (the FMA latency would otherwise serialise the 24 steps); other sizes go to
    /// TensorPrimitives.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(float* a, float* b, int dims)
    {
        if (Vector512.IsHardwareAccelerated && (dims & 63) == 0)
        {
            Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
            for (var i = 0; i < dims; i += 64)
            {
                s0 = Vector512.FusedMultiplyAdd(Vector512.Load(a + i), Vector512.Load(b + i), s0);
                s1 = Vector512.FusedMultiplyAdd(Vector512.Load(a + i + 16), Vector512.Load(b + i + 16), s1);
                s2 = Vector512.FusedMultiplyAdd(Vector512.Load(a + i + 32), Vector512.Load(b + i + 32), s2);
                s3 = Vector512.FusedMultiplyAdd(Vector512.Load(a + i + 48), Vector512.Load(b + i + 48), s3);
            }
            return Vector512.Sum((s0 + s1) + (s2 + s3));
        }
        return TensorPrimitives.Dot(new ReadOnlySpan<float>(a, dims), new ReadOnlySpan<float>(b, dims));
    }
}
