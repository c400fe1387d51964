/*
 * Similarity + top-k for one query at a time, streaming the fp16 catalog once per query. Used for
 * batch 1 (where the tensor cores would idle: there is nothing to reuse a loaded row for) and for
 * k > 128, whose running lists are too wide to hold for many queries at once.
 *
 * Block = one (query, slab) pair, 256 threads = 8 warps. A warp scores one row at a time: each lane
 * reads 4 bytes of every 128-byte segment of the row (so a warp's loads are fully coalesced), multiplies
 * by the fp32 query held in shared memory, and the warp sums with shuffles. Four rows are in flight
 * per warp to keep enough loads outstanding to approach memory bandwidth. Scores go straight into
 * the running top-k (mg_select.cuh); nothing is written to global memory but the slab's k best.
 * Grid: blockIdx.x = slab * query_count + query, so the blocks working on one slab run together and
 * share it through L2 when there are several queries.
 */
#include "mg_select.cuh"

#define MG_STREAM_WARPS (MG_STREAM_THREADS / 32)
#define MG_STREAM_UNROLL 4

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
    int pairs = p.dim / 2;   /* the catalog row as packed fp16 pairs */

    mg_running run = mg_running_init(mg_dynamic_shared(), 1, p.k, p.k_pow2, MG_STREAM_STEP);
    float* q = (float*)(run.count + 1);
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
        for (int j = 0; j < MG_STREAM_ROWS_PER_WARP; j += MG_STREAM_UNROLL)
        {
            float partial[MG_STREAM_UNROLL];
#pragma unroll
            for (int u = 0; u < MG_STREAM_UNROLL; u++)
            {
                partial[u] = 0.0f;
                int row = first + j + u;
                if (row >= slab_end) continue;
                const mg_half* v = catalog + (mg_u64)row * (mg_u64)p.dim;
                for (int c = lane; c < pairs; c += 32)
                {
                    float lo, hi;
                    mg_unpack_f16x2(mg_load_u32(v + 2 * c), &lo, &hi);
                    partial[u] += lo * q[2 * c] + hi * q[2 * c + 1];
                }
            }
#pragma unroll
            for (int u = 0; u < MG_STREAM_UNROLL; u++)
            {
                float s = mg_warp_sum(partial[u]);
                if (lane == j + u) mine = s;
            }
        }
        int row = first + lane;
        if (row < slab_end)
        {
            int global_row = p.row_offset + row;
            if (mg_row_allowed(&p, filter, global_row)) mg_running_offer(run, 0, global_row, mine);
        }
        mg_running_flush(run, 0);
    }
    mg_running_flush(run, 1);
    mg_running_store(run, 0, (mg_scored_row*)p.out + ((mg_u64)query * (mg_u64)p.slab_count + (mg_u64)slab) * (mg_u64)p.k);
}
