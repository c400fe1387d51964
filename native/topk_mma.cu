/*
 * Similarity + top-k for a batch of queries on the tensor cores (mma.sync m16n8k16, fp16 inputs,
 * fp32 accumulation; sm_80 or newer). Used when the batch has at least 16 queries and k <= 128.
 *
 * The catalog is the MMA's A operand (16 rows x 16 dims, row-major, exactly its storage layout) and
 * the queries are B (16 dims x 8 queries, "column-major" = query rows as stored), so a warp computes
 * a 16-row x 8-query score block per instruction and no transpose is ever needed.
 * Block = 32 queries x one catalog slab, 256 threads = 8 warps. Each sub-tile of 128 rows gives every
 * warp 16 rows; for each 16-dim step the warp loads its A fragment once from global memory and reuses
 * it for the four 8-query B fragments, read from the queries staged in shared memory at the start, so
 * each catalog byte read feeds 32 queries. The 16 x 32 scores per warp never
 * leave registers: each is offered to its query's running top-k in shared memory (mg_select.cuh).
 * Grid: blockIdx.x = slab * query_groups + group, so the groups sharing a slab run together and
 * read it through L2 rather than from HBM once per group.
 */
#include "mg_select.cuh"

#define MG_MMA_WARPS (MG_MMA_THREADS / 32)
#define MG_MMA_NTILES (MG_MMA_QUERIES / 8)

MG_DEV int mg_mma_row_allowed(const mg_search_params* p, int filter, int global_row)
{
    if (filter < 0) return 1;
    const mg_u64* words = (const mg_u64*)p->filter_words + (mg_u64)filter * (mg_u64)p->words_per_filter;
    return (int)((words[global_row >> 6] >> (global_row & 63)) & 1ull);
}

/* Two consecutive fp16 values, or zeros past the end of the matrix (padding rows/queries). */
MG_DEV mg_u32 mg_pair_or_zero(const mg_half* base, int row, int rows, int dim, int col)
{
    return row < rows ? mg_load_u32(base + (mg_u64)row * (mg_u64)dim + col) : 0u;
}

extern "C" __global__ void __launch_bounds__(MG_MMA_THREADS)
mg_topk_mma(const mg_search_params p)
{
    int groups = (p.query_count + MG_MMA_QUERIES - 1) / MG_MMA_QUERIES;
    int group = (int)(mg_block() % (unsigned)groups);
    int slab = (int)(mg_block() / (unsigned)groups);
    int lane = (int)(mg_thread() & 31), warp = (int)(mg_thread() >> 5);
    int g = lane >> 2, t = lane & 3;   /* the MMA's groupID and threadID_in_group */
    int query0 = group * MG_MMA_QUERIES;

    mg_running run = mg_running_init(mg_dynamic_shared(), MG_MMA_QUERIES, p.k, p.k_pow2, MG_MMA_STEP);
    int* filters = (int*)mg_running_end(run);
    for (int i = (int)mg_thread(); i < MG_MMA_QUERIES; i += MG_MMA_THREADS)
        filters[i] = p.query_filter && query0 + i < p.query_count ? ((const int*)p.query_filter)[query0 + i] : -1;
    /* The block's 32 queries, staged once in shared memory (zeros past the batch): every warp reads all of them
     * for every 16-dim step, which from global memory cost more L1 traffic than the catalog itself. Rows are
     * padded by MG_MMA_QUERY_PAD fp16 so the eight query rows a B fragment spans fall in different banks. */
    int stride = p.dim + MG_MMA_QUERY_PAD, pairs = p.dim / 2;
    mg_u32* staged = (mg_u32*)(filters + MG_MMA_QUERIES);
    const mg_half* queries = (const mg_half*)p.queries_f16;
    for (int i = (int)mg_thread(); i < MG_MMA_QUERIES * pairs; i += MG_MMA_THREADS)
    {
        int q = i / pairs, c = i - q * pairs;
        staged[q * (stride / 2) + c] = mg_pair_or_zero(queries, query0 + q, p.query_count, p.dim, 2 * c);
    }
    mg_barrier();

    const mg_half* catalog = (const mg_half*)p.catalog;
    int slab_begin = slab * p.rows_per_slab;
    int slab_end = slab_begin + p.rows_per_slab < p.rows ? slab_begin + p.rows_per_slab : p.rows;

    for (int tile = slab_begin; tile < slab_end; tile += MG_MMA_STEP)
    {
        int r0 = tile + warp * 16 + g, r1 = r0 + 8;
        float acc[MG_MMA_NTILES][4];
#pragma unroll
        for (int n = 0; n < MG_MMA_NTILES; n++) acc[n][0] = acc[n][1] = acc[n][2] = acc[n][3] = 0.0f;

        /* Rows past the slab's end read its last row (their scores are never offered), so the loads carry no
         * branch, and the next 16-dim step's A fragment is loaded before this step's MMAs run: one step of
         * software pipelining hides the load latency behind four MMAs. */
        const mg_half* a0 = catalog + (mg_u64)(r0 < slab_end ? r0 : slab_end - 1) * (mg_u64)p.dim + 2 * t;
        const mg_half* a1 = catalog + (mg_u64)(r1 < slab_end ? r1 : slab_end - 1) * (mg_u64)p.dim + 2 * t;
        mg_u32 a[4] = {mg_load_u32(a0), mg_load_u32(a1), mg_load_u32(a0 + 8), mg_load_u32(a1 + 8)};
        for (int k0 = 0; k0 < p.dim; k0 += 16)
        {
            int kn = k0 + 16 < p.dim ? k0 + 16 : k0;
            mg_u32 next[4] = {mg_load_u32(a0 + kn), mg_load_u32(a1 + kn), mg_load_u32(a0 + kn + 8), mg_load_u32(a1 + kn + 8)};
#pragma unroll
            for (int n = 0; n < MG_MMA_NTILES; n++)
            {
                const mg_u32* qrow = staged + (n * 8 + g) * (stride / 2) + (k0 + 2 * t) / 2;
                mg_u32 b[2];
                b[0] = qrow[0];
                b[1] = qrow[4];   /* dims k0 + 2t + 8, + 9 */
                mg_mma_16816(acc[n], a, b);
            }
#pragma unroll
            for (int i = 0; i < 4; i++) a[i] = next[i];
        }

        /* acc[n][0..1] = rows r0 x queries n*8 + 2t, +1;  acc[n][2..3] = row r1 x the same queries.
         * Bit 4n+e of `eligible` says whether that score may enter its query's list (in range, allowed). */
        unsigned eligible = 0;
#pragma unroll
        for (int n = 0; n < MG_MMA_NTILES; n++)
#pragma unroll
            for (int e = 0; e < 4; e++)
            {
                int row = e < 2 ? r0 : r1;
                int local_query = n * 8 + 2 * t + (e & 1);
                if (row >= slab_end || query0 + local_query >= p.query_count) continue;
                if (!mg_mma_row_allowed(&p, filters[local_query], p.row_offset + row)) continue;
                eligible |= 1u << (4 * n + e);
                mg_running_count(run, local_query, acc[n][e]);
            }
        mg_running_make_room(run);
#pragma unroll
        for (int n = 0; n < MG_MMA_NTILES; n++)
#pragma unroll
            for (int e = 0; e < 4; e++)
                if ((eligible >> (4 * n + e)) & 1u)
                    mg_running_offer(run, n * 8 + 2 * t + (e & 1), p.row_offset + (e < 2 ? r0 : r1), acc[n][e]);
    }
    mg_running_finish(run);
    for (int q = 0; q < MG_MMA_QUERIES && query0 + q < p.query_count; q++)
        mg_running_store(run, q, (mg_scored_row*)p.out + ((mg_u64)(query0 + q) * (mg_u64)p.slab_count + (mg_u64)slab) * (mg_u64)p.k);
}
