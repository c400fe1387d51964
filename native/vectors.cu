/*
 * Small row-wise kernels: L2-normalise fp32 rows in place (queries from other sources than MiniLM,
 * which already returns unit vectors), and convert fp32 rows to the fp16 the catalog is stored in
 * (round to nearest even, as C# (Half) does, so the CPU parity reference can round the same way).
 */
#include "mg_cuda_compat.h"

/* One warp per row. */
extern "C" __global__ void __launch_bounds__(256)
mg_normalize_rows(const mg_rows_params p)
{
    int warps_per_block = (int)(mg_threads() >> 5);
    int row = (int)mg_block() * warps_per_block + (int)(mg_thread() >> 5);
    int lane = (int)(mg_thread() & 31);
    if (row >= p.rows) return;
    float* v = (float*)p.src + (mg_u64)row * (mg_u64)p.dim;
    float sum = 0.0f;
    for (int i = lane; i < p.dim; i += 32) sum += v[i] * v[i];
    sum = mg_warp_sum(sum);
    if (!(sum > 0.0f)) return;   /* a zero row stays zero rather than becoming NaN */
    float scale = 1.0f / mg_sqrtf(sum);
    for (int i = lane; i < p.dim; i += 32) v[i] *= scale;
}

/* Grid-stride over all rows * dim elements. */
extern "C" __global__ void __launch_bounds__(256)
mg_convert_f32_to_f16(const mg_rows_params p)
{
    mg_u64 total = (mg_u64)p.rows * (mg_u64)p.dim;
    const float* src = (const float*)p.src;
    mg_half* dst = (mg_half*)p.dst;
    for (mg_u64 i = (mg_u64)mg_block() * mg_threads() + mg_thread(); i < total; i += (mg_u64)mg_blocks() * mg_threads())
        dst[i] = mg_f32_to_f16(src[i]);
}
