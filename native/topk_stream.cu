/*
 * Similarity + top-k for one query at a time, streaming the fp16 catalog once per query. Used for
 * batch 1 (where the tensor cores would idle: there is nothing to reuse a loaded row for) and for
 * k > 128, whose running lists are too wide to hold for many queries at once.
 *
 * Block = one (query, slab) pair, 256 threads = 8 warps. Each half-warp scores one row: its 16 lanes read
 * the row in 16-byte pieces (eight fp16 each, 256 contiguous bytes per load instruction of the half-warp),
 * multiply by the fp32 query held in shared memory, and sum with four shuffles. A warp has
 * MG_STREAM_UNROLL row pairs in flight, so each lane keeps several independent 16-byte loads
 * outstanding: batch 1 is a pure stream over the catalog, and only many bytes in flight per SM reach
 * the memory bandwidth (the first version loaded 4 bytes per lane and reached a third of it on an H200).
 * Rows are 16-byte aligned because the host requires dim % 8 == 0. Scores go straight into the running
 * top-k (mg_select.cuh); nothing is written to global memory but the slab's k best.
 * Grid: blockIdx.x = slab * query_count + query, so the blocks working on one slab run together and
 * share it through L2 when there are several queries.
 */
#include "mg_select.cuh"

#define MG_STREAM_WARPS (MG_STREAM_THREADS / 32)
#define MG_STREAM_UNROLL 8   /* row pairs in flight per warp: 8 independent 16-byte loads per lane */

MG_DEV int mg_row_allowed(const mg_search_params* p, int filter, int global_row)
{
    if (filter < 0) return 1;
    const mg_u64* words = (const mg_u64*)p->filter_words + (mg_u64)filter * (mg_u64)p->words_per_filter;
    return (int)((words[global_row >> 6] >> (global_row & 63)) & 1ull);
}

extern "C" __global__ void __launch_bounds__(MG_STREAM_THREADS)
mg_topk_stream(const mg_search_params p)
{
    int query = (int)(mg_block() % (unsigned)p.query_count);
    int slab = (int)(mg_block() / (unsigned)p.query_count);
    int lane = (int)(mg_thread() & 31), warp = (int)(mg_thread() >> 5);
    int half = lane >> 4, half_lane = lane & 15;
    int chunks = p.dim / 8;   /* the catalog row as 16-byte pieces of eight fp16 */

    mg_running run = mg_running_init(mg_dynamic_shared(), 1, p.k, p.k_pow2, MG_STREAM_STEP);
    float* q = (float*)mg_running_end(run);
    const float* query_src = (const float*)p.queries_f32 + (mg_u64)query * (mg_u64)p.dim;
    for (int i = (int)mg_thread(); i < p.dim; i += MG_STREAM_THREADS) q[i] = query_src[i];
    int filter = p.query_filter ? ((const int*)p.query_filter)[query] : -1;
    mg_barrier();

    const mg_half* catalog = (const mg_half*)p.catalog;
    int slab_begin = slab * p.rows_per_slab;
    int slab_end = slab_begin + p.rows_per_slab < p.rows ? slab_begin + p.rows_per_slab : p.rows;

    for (int tile = slab_begin; tile < slab_end; tile += MG_STREAM_STEP)
    {
        int first = tile + warp * MG_STREAM_ROWS_PER_WARP;
        float mine = 0.0f;   /* lane j keeps the score of the warp's j-th row */
        for (int j = 0; j < MG_STREAM_ROWS_PER_WARP; j += 2 * MG_STREAM_UNROLL)
        {
            /* Rows past the slab's end read its last row instead (their scores are never offered), so every
             * load is unconditional and the MG_STREAM_UNROLL loads of one step are issued back to back. */
            const mg_half* v[MG_STREAM_UNROLL];
            float partial[MG_STREAM_UNROLL];
#pragma unroll
            for (int u = 0; u < MG_STREAM_UNROLL; u++)
            {
                int row = first + j + 2 * u + half;
                v[u] = catalog + (mg_u64)(row < slab_end ? row : slab_end - 1) * (mg_u64)p.dim;
                partial[u] = 0.0f;
            }
            for (int c = half_lane; c < chunks; c += 16)
            {
                mg_u32 x[MG_STREAM_UNROLL][4];
#pragma unroll
                for (int u = 0; u < MG_STREAM_UNROLL; u++) mg_load_u32x4(v[u] + 8 * c, x[u]);
                const float* qc = q + 8 * c;
#pragma unroll
                for (int u = 0; u < MG_STREAM_UNROLL; u++)
#pragma unroll
                    for (int e = 0; e < 4; e++)
                    {
                        float lo, hi;
                        mg_unpack_f16x2(x[u][e], &lo, &hi);
                        partial[u] += lo * qc[2 * e] + hi * qc[2 * e + 1];
                    }
            }
#pragma unroll
            for (int u = 0; u < MG_STREAM_UNROLL; u++)
            {
                /* Sum within each half-warp, then swap halves so every lane holds both rows' scores. */
                float s = partial[u];
                for (int m = 8; m > 0; m >>= 1) s += mg_shfl_xor(s, m);
                float other = mg_shfl_xor(s, 16);
                float first_row = half == 0 ? s : other, second_row = half == 0 ? other : s;
                if (lane == j + 2 * u) mine = first_row;
                if (lane == j + 2 * u + 1) mine = second_row;
            }
        }
        int row = first + lane, global_row = p.row_offset + row;
        /* The buffer takes a whole sub-tile after a fold, so a second round is the most this ever needs. */
        int waiting = row < slab_end && mg_row_allowed(&p, filter, global_row);
        for (;;)
        {
            if (waiting) waiting = !mg_running_offer(run, 0, global_row, mine);
            if (!mg_barrier_any(waiting)) break;
            mg_running_fold_full(run);
        }
    }
    mg_running_finish(run);
    mg_running_store(run, 0, (mg_scored_row*)p.out + ((mg_u64)query * (mg_u64)p.slab_count + (mg_u64)slab) * (mg_u64)p.k);
}
