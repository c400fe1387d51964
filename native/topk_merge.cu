/*
 * Merges per-slab top-k lists into fewer lists: each block reads one contiguous segment of a query's
 * candidates and keeps its best k with the same running top-k as the scans. The host calls it until
 * one list per query is left (usually once or twice: each pass divides the candidates by ~16).
 * Empty slots (row < 0, from slabs with fewer than k allowed rows) are skipped.
 * Grid: blockIdx.x = segment * query_count + query.
 */
#include "mg_select.cuh"


extern "C" __global__ void __launch_bounds__(MG_MERGE_THREADS)
mg_topk_merge(const mg_merge_params p)
{
    int query = (int)(mg_block() % (unsigned)p.query_count);
    int segment = (int)(mg_block() / (unsigned)p.query_count);
    int per_segment = (p.in_per_query + p.out_segments - 1) / p.out_segments;
    int begin = segment * per_segment;
    int end = begin + per_segment < p.in_per_query ? begin + per_segment : p.in_per_query;

    mg_running run = mg_running_init(mg_dynamic_shared(), 1, p.k, p.k_pow2, MG_MERGE_STEP);
    const mg_scored_row* in = (const mg_scored_row*)p.in + (mg_u64)query * (mg_u64)p.in_per_query;
    for (int tile = begin; tile < end; tile += MG_MERGE_STEP)
    {
        int i = tile + (int)mg_thread();
        mg_scored_row c = mg_empty_row();
        if (i < end) c = in[i];
        /* The buffer takes a whole sub-tile after a fold, so a second round is the most this ever needs. */
        int waiting = c.row >= 0;
        for (;;)
        {
            if (waiting) waiting = !mg_running_offer(run, 0, c.row, c.score);
            if (!mg_barrier_any(waiting)) break;
            mg_running_fold_full(run);
        }
    }
    mg_running_finish(run);
    mg_running_store(run, 0, (mg_scored_row*)p.out + ((mg_u64)query * (mg_u64)p.out_segments + (mg_u64)segment) * (mg_u64)p.k);
}
