/*
 * Similarity + top-k for a batch of queries on the tensor cores (mma.sync m16n8k16, fp16 inputs,
 * fp32 accumulation; sm_80 or newer). Used when the batch has at least 16 queries.
 *
 * The catalog is the MMA's A operand (16 rows, row-major, its storage layout) and the queries are B
 * (8 queries, "column-major" = query rows as stored), so a warp computes a 16-row x 8-query score block per
 * instruction and no transpose is ever needed. Each lane loads 16 contiguous bytes of its row and of its query
 * per 32 dims (mg_mma_chunk.h assigns the dims to the MMA's k positions so that this works).
 * Block = QUERIES queries x one catalog slab, 256 threads = 8 warps. Each sub-tile of 128 rows gives every
 * warp 16 rows (MG_MMA_ROW_TILES such tiles per sub-tile in a variant); for each 32-dim chunk the warp loads its two
 * row pieces once from global memory (MG_MMA_PREFETCH chunks ahead of the one it multiplies) and reuses them for
 * every 8-query tile, read from the queries staged in shared memory at the start, so each catalog byte read feeds
 * QUERIES queries. The scores never leave
 * registers: each lane tests its own against its queries' thresholds and offers those that pass to the running
 * top-k lists in shared memory (mg_select.cuh); one block-wide vote then says whether a full list must be folded
 * first — once the lists have settled almost no score passes, and a sub-tile costs that one barrier. The lists'
 * buffers hold at least 32 slots and K/2 (mg_running_width), not a whole sub-tile, so 32 lists at k <= 32 take 16 KB of
 * shared memory.
 * Three entry points, one template: mg_topk_mma (32 queries per block, k <= 128), mg_topk_mma_large (64 queries
 * per block for batches of 64 or more: each catalog byte brought from L2 feeds twice the queries, where at batch
 * 1024 the 32 query groups' re-reads of the catalog through L2 weigh more than the MMAs themselves; its lists need
 * twice the shared memory) and mg_topk_mma_wide (8 queries per block, k up to MG_MAX_K: lists of up to 1.5K slots,
 * mg_running_width, do not fit 32 queries in shared memory).
 * Grid: blockIdx.x = slab * query_groups + group, so the groups sharing a slab run together and
 * read it through L2 rather than from HBM once per group.
 */
#include "mg_select.cuh"
#include "mg_mma_chunk.h"

/* How many 32-dim chunks each warp's catalog loads run ahead of its MMAs (eight registers per chunk). One chunk's
 * MMAs may not cover a load's latency from HBM; the device check times 2 against the default (a -D option through
 * the benchmark's --define) to say whether the registers are worth it. */
#ifndef MG_MMA_PREFETCH
#define MG_MMA_PREFETCH 1
#endif
static_assert(MG_MMA_PREFETCH >= 1 && MG_MMA_PREFETCH <= 3, "one to three chunks ahead: each costs eight registers per lane");

/* How many 16-row catalog tiles each warp multiplies per sub-tile (a sub-tile is then MG_MMA_STEP rows per tile). With
 * two, each query fragment read from shared memory feeds two tiles' MMAs instead of one (half the shared reads per MMA)
 * and each warp has twice the independent accumulators and catalog loads in flight, for twice their registers (4 per
 * query tile, 8 per chunk ahead). The device check times 2 against the default to say whether that pays. */
#ifndef MG_MMA_ROW_TILES
#define MG_MMA_ROW_TILES 1
#endif
static_assert(MG_MMA_ROW_TILES >= 1 && MG_MMA_ROW_TILES <= 2, "one or two row tiles per warp: the 64-query kernel's accumulators take 32 registers per tile");

MG_DEV int mg_mma_row_allowed(const mg_search_params* p, int filter, int global_row)
{
    if (filter < 0) return 1;
    const mg_u64* words = (const mg_u64*)p->filter_words + (mg_u64)filter * (mg_u64)p->words_per_filter;
    return (int)((words[global_row >> 6] >> (global_row & 63)) & 1ull);
}

/* Two consecutive fp16 values, or zeros past the end of the matrix (padding queries). */
MG_DEV mg_u32 mg_pair_or_zero(const mg_half* base, int row, int rows, int dim, int col)
{
    return row < rows ? mg_load_u32(base + (mg_u64)row * (mg_u64)dim + col) : 0u;
}

template <int QUERIES>
MG_DEV void mg_topk_mma_block(const mg_search_params& p)
{
    const int tiles = QUERIES / 8;   /* 8-query MMA tiles */
    static_assert(QUERIES % 8 == 0 && QUERIES / 8 * 4 <= 32, "a lane's waiting scores are the bits of one 32-bit word");
    int groups = (p.query_count + QUERIES - 1) / QUERIES;
    int group = (int)(mg_block() % (unsigned)groups);
    int slab = (int)(mg_block() / (unsigned)groups);
    int lane = (int)(mg_thread() & 31), warp = (int)(mg_thread() >> 5);
    int g = lane >> 2, t = lane & 3;   /* the MMA's groupID and threadID_in_group */
    int query0 = group * QUERIES;

    mg_running run = mg_running_init(mg_dynamic_shared(), QUERIES, p.k, p.k_pow2, MG_MMA_LIST_BUFFER);
    int* filters = (int*)mg_running_end(run);
    for (int i = (int)mg_thread(); i < QUERIES; i += MG_MMA_THREADS)
        filters[i] = p.query_filter && query0 + i < p.query_count ? ((const int*)p.query_filter)[query0 + i] : -1;
    /* The block's queries, staged once in shared memory (zeros past the batch): every warp reads all of them for
     * every chunk, which from global memory cost more L1 traffic than the catalog itself. Rows are padded
     * (mg_mma_query_stride) so the 16-byte loads of a fragment meet no bank conflicts. */
    int stride = mg_mma_query_stride(p.dim), pairs = p.dim / 2;
    mg_u32* staged = (mg_u32*)((char*)mg_dynamic_shared() + mg_mma_staged_offset(QUERIES, p.k_pow2));
    const mg_half* queries = (const mg_half*)p.queries_f16;
    for (int i = (int)mg_thread(); i < QUERIES * pairs; i += MG_MMA_THREADS)
    {
        int q = i / pairs, c = i - q * pairs;
        staged[q * (stride / 2) + c] = mg_pair_or_zero(queries, query0 + q, p.query_count, p.dim, 2 * c);
    }
    mg_barrier();

    /* The lane's scores belong to queries n * 8 + 2t + j (tile n, j = 0, 1): bit 2n + j says that query exists (the
     * last group may be short). Their filters stay in shared memory: they are read only for a score that beats its
     * threshold, which once the lists settle is rare, and 64 queries' filters in registers would cost 16 of them. */
    unsigned lane_queries_present = 0;
#pragma unroll
    for (int n = 0; n < tiles; n++)
#pragma unroll
        for (int j = 0; j < 2; j++)
            if (query0 + n * 8 + 2 * t + j < p.query_count) lane_queries_present |= 1u << (2 * n + j);

    const mg_half* catalog = (const mg_half*)p.catalog;
    int slab_begin = slab * p.rows_per_slab;
    int slab_end = slab_begin + p.rows_per_slab < p.rows ? slab_begin + p.rows_per_slab : p.rows;
    int whole = p.dim & ~31;   /* dims in whole 32-dim chunks; a 16-dim tail may follow */
    /* Lane (g, t) multiplies with query n * 8 + g of each tile: its 16 bytes of a chunk start at dim 8t. */
    const mg_u32* lane_queries = staged + (g * stride + 8 * t) / 2;

    const int row_tiles = MG_MMA_ROW_TILES;
    for (int tile = slab_begin; tile < slab_end; tile += MG_MMA_STEP * row_tiles)
    {
        /* Row tile u of the sub-tile: the warp's rows r0[u] (fragment row g) and r1[u] (row g + 8). */
        int r0[row_tiles], r1[row_tiles];
        float acc[row_tiles][tiles][4];
#pragma unroll
        for (int u = 0; u < row_tiles; u++)
        {
            r0[u] = tile + u * MG_MMA_STEP + warp * 16 + g;
            r1[u] = r0[u] + 8;
#pragma unroll
            for (int n = 0; n < tiles; n++) acc[u][n][0] = acc[u][n][1] = acc[u][n][2] = acc[u][n][3] = 0.0f;
        }

        /* Rows past the slab's end read its last row (their scores are never offered), so the loads carry no
         * branch. The loads run MG_MMA_PREFETCH chunks ahead of the MMAs, in a ring of MG_MMA_PREFETCH + 1 slots: chunk
         * j lives in slot j % (MG_MMA_PREFETCH + 1), and step j first loads chunk j + MG_MMA_PREFETCH (the last chunk
         * again near the end: loaded, never used) into the slot chunk j - 1 has left, then multiplies chunk j. The
         * chunk loop is unrolled by the ring's size so every slot index is a constant: the pieces stay in their
         * registers instead of being moved down a slot per step, which would wait on the newest load and so bring
         * every load back to one chunk ahead. */
        const mg_half* row_lo[row_tiles];
        const mg_half* row_hi[row_tiles];
#pragma unroll
        for (int u = 0; u < row_tiles; u++)
        {
            row_lo[u] = catalog + (mg_u64)(r0[u] < slab_end ? r0[u] : slab_end - 1) * (mg_u64)p.dim;
            row_hi[u] = catalog + (mg_u64)(r1[u] < slab_end ? r1[u] : slab_end - 1) * (mg_u64)p.dim;
        }
        const int ring = MG_MMA_PREFETCH + 1;
        mg_u32 lo[ring][row_tiles][4], hi[ring][row_tiles][4];
        if (whole > 0)
        {
#pragma unroll
            for (int i = 0; i < MG_MMA_PREFETCH; i++)
            {
                int ci = 32 * i < whole ? 32 * i : whole - 32;
#pragma unroll
                for (int u = 0; u < row_tiles; u++)
                {
                    mg_load_u32x4(row_lo[u] + ci + 8 * t, lo[i][u]);
                    mg_load_u32x4(row_hi[u] + ci + 8 * t, hi[i][u]);
                }
            }
        }
        for (int c0 = 0; c0 < whole; c0 += 32 * ring)
        {
#pragma unroll
            for (int s = 0; s < ring; s++)
            {
                int c = c0 + 32 * s;
                if (c >= whole) break;   /* the same for every lane: it depends on dim only */
                int cn = c + 32 * MG_MMA_PREFETCH < whole ? c + 32 * MG_MMA_PREFETCH : whole - 32;
#pragma unroll
                for (int u = 0; u < row_tiles; u++)
                {
                    mg_load_u32x4(row_lo[u] + cn + 8 * t, lo[(s + MG_MMA_PREFETCH) % ring][u]);
                    mg_load_u32x4(row_hi[u] + cn + 8 * t, hi[(s + MG_MMA_PREFETCH) % ring][u]);
                }
#pragma unroll
                for (int n = 0; n < tiles; n++)
                {
                    mg_u32 q[4];   /* read once from shared memory, multiplied with every row tile */
                    mg_load_shared_u32x4(lane_queries + (n * 8 * stride + c) / 2, q);
#pragma unroll
                    for (int u = 0; u < row_tiles; u++) mg_mma_chunk32(acc[u][n], lo[s][u], hi[s][u], q);
                }
            }
        }
        if (whole < p.dim)
        {
            mg_u32 tail_lo[row_tiles][2], tail_hi[row_tiles][2];
#pragma unroll
            for (int u = 0; u < row_tiles; u++)
            {
                mg_load_u32x2(row_lo[u] + whole + 4 * t, tail_lo[u]);
                mg_load_u32x2(row_hi[u] + whole + 4 * t, tail_hi[u]);
            }
#pragma unroll
            for (int n = 0; n < tiles; n++)
            {
                mg_u32 q[2];
                mg_load_shared_u32x2(staged + ((n * 8 + g) * stride + whole + 4 * t) / 2, q);
#pragma unroll
                for (int u = 0; u < row_tiles; u++) mg_mma_chunk16(acc[u][n], tail_lo[u], tail_hi[u], q);
            }
        }

#pragma unroll
        for (int u = 0; u < row_tiles; u++)
        {
            /* acc[u][n][0..1] = row r0[u] x queries n*8 + 2t, +1;  acc[u][n][2..3] = row r1[u] x the same queries.
             * Bit 4n+e of `waiting` says that score beats its query's threshold and may enter (in range, allowed). The
             * thresholds only change in folds, which every thread has left before this reads them. */
            unsigned waiting = 0;
#pragma unroll
            for (int n = 0; n < tiles; n++)
            {
                float threshold[2] = {run.threshold[n * 8 + 2 * t], run.threshold[n * 8 + 2 * t + 1]};
#pragma unroll
                for (int e = 0; e < 4; e++)
                {
                    int row = e < 2 ? r0[u] : r1[u], j = e & 1;
                    if (acc[u][n][e] >= threshold[j] && row < slab_end && ((lane_queries_present >> (2 * n + j)) & 1u)
                        && mg_mma_row_allowed(&p, filters[n * 8 + 2 * t + j], p.row_offset + row))
                        waiting |= 1u << (4 * n + e);
                }
            }
            /* Offer them; a list's buffer (at least 32 slots and K/2) may fill before a row tile is in: then the block
             * folds the full lists and offers the refused again. Once the lists have settled almost no score is
             * waiting, and a row tile costs this one vote. */
            for (;;)
            {
#pragma unroll
                for (int n = 0; n < tiles; n++)
#pragma unroll
                    for (int e = 0; e < 4; e++)
                        if (((waiting >> (4 * n + e)) & 1u)
                            && mg_running_offer(run, n * 8 + 2 * t + (e & 1), p.row_offset + (e < 2 ? r0[u] : r1[u]), acc[u][n][e]))
                            waiting &= ~(1u << (4 * n + e));
                if (!mg_barrier_any(waiting != 0)) break;   /* uniform: the whole block leaves or folds */
                mg_running_fold_full(run);
            }
        }
    }
    mg_running_finish(run);
    for (int q = 0; q < QUERIES && query0 + q < p.query_count; q++)
        mg_running_store(run, q, (mg_scored_row*)p.out + ((mg_u64)(query0 + q) * (mg_u64)p.slab_count + (mg_u64)slab) * (mg_u64)p.k);
}

extern "C" __global__ void __launch_bounds__(MG_MMA_THREADS)
mg_topk_mma(const mg_search_params p)
{
    mg_topk_mma_block<MG_MMA_QUERIES>(p);
}

extern "C" __global__ void __launch_bounds__(MG_MMA_THREADS)
mg_topk_mma_large(const mg_search_params p)
{
    mg_topk_mma_block<MG_MMA_LARGE_QUERIES>(p);
}

extern "C" __global__ void __launch_bounds__(MG_MMA_THREADS)
mg_topk_mma_wide(const mg_search_params p)
{
    mg_topk_mma_block<MG_MMA_WIDE_QUERIES>(p);
}
