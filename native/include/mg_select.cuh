/*
 * Block-wide top-k selection in shared memory, shared by the scan kernels and the merge kernel.
 *
 * Each query owns a "running list" of P slots: slots [0, K) hold its best K candidates so far, sorted
 * best first (K = k rounded up to a power of two); slots [K, P) are an append buffer. Scores are
 * produced a sub-tile at a time; a candidate is appended only if it is at least as good as the list's
 * k-th score (the threshold), so once the list has settled almost nothing is appended and the scan
 * runs at the speed of the dot products. Each sub-tile's candidates are offered (mg_running_offer: a slot
 * claimed with a shared-memory atomic); one that finds its list's buffer full is refused and kept, and after
 * the round, if any thread holds a refused candidate (one block-wide vote), the full lists are folded
 * (mg_running_fold_full) and the refused offered again. A fold reduces the P-slot array back to its best K
 * with a bitonic top-K network (sort K-wide chunks, then repeatedly keep the better half of chunk pairs),
 * which costs O(P log^2 K) instead of a full sort. A sub-tile costs one barrier (the vote) unless a buffer
 * fills; a list folds only when its buffer is really full, so the buffer need not hold a whole sub-tile: the
 * tensor-core kernels keep one list per query of the block (8, 32 or 64), each the K best and a buffer of at
 * least 32 slots and at least half of K (mg_running_width), so at k <= 32 the 32-query kernel fits in a fifth of
 * an SM's shared memory (their occupancy is shared-memory bound), while the single-list kernels keep a
 * sub-tile's worth and never need a second round. The same idea as FAISS's thread/warp queues, kept to one shared-memory
 * structure for legibility.
 *
 * Order is the CPU's: higher score first, equal scores by lower row, empty slots (row < 0) last. A score equal to
 * the threshold is appended (the fold breaks the tie by row), so rows that all score the same — zero queries, many
 * duplicate vectors — fill the buffers on every sub-tile: still exact, only slower.
 *
 * SelectionNetworkTests compiles this file on the host with one-thread stand-ins for the CUDA
 * primitives (MG_SELECT_HOST_SHIM) and checks it against std::sort: every stage's pairs are
 * independent, so running them in order on one thread computes what the block computes.
 */
#ifndef MG_SELECT_CUH
#define MG_SELECT_CUH

#ifndef MG_SELECT_HOST_SHIM
#include "mg_cuda_compat.h"
#endif
#include "mg_geometry.h"

MG_DEV int mg_before(mg_scored_row a, mg_scored_row b)
{
    if (a.row < 0) return 0;
    if (b.row < 0) return 1;
    if (a.score != b.score) return a.score > b.score;
    return a.row < b.row;
}

MG_DEV mg_scored_row mg_empty_row(void)
{
    mg_scored_row e;
    e.row = -1;
    e.score = mg_neg_inf();
    return e;
}

/* Compare-exchange so that w[lo] is the better one when best_first, else the worse one. */
MG_DEV void mg_order_pair(mg_scored_row* w, int lo, int hi, int best_first)
{
    mg_scored_row a = w[lo], b = w[hi];
    int swap = best_first ? mg_before(b, a) : mg_before(a, b);
    if (swap) { w[lo] = b; w[hi] = a; }
}

/* Index of the lower element of the i-th compare pair at distance `stride` (a power of two). */
MG_DEV int mg_pair_lo(int i, int stride) { return ((i & ~(stride - 1)) << 1) | (i & (stride - 1)); }

/*
 * Leaves the best K of w[0, P) in w[0, K), sorted best first. K is a power of two and P either a power-of-two
 * multiple of K (K-wide chunks) or K + K/2 (the best K and a buffer of half a chunk: mg_running_width).
 * All threads of the block must call it; it begins and ends with a barrier.
 */
MG_DEV void mg_bitonic_top_k(mg_scored_row* w, int P, int K)
{
    int tid = (int)mg_thread(), nthreads = (int)mg_threads();
    int whole = P - P % K;   /* the K-wide chunks; a half chunk [whole, P) may follow */
    mg_barrier();
    /* 1. Sort every K-wide chunk, and the half chunk, best first (a bitonic sort that stops at the chunk's width).
     *    Both kinds go in the same passes, so they share the barriers. */
    for (int size = 2; size <= K; size <<= 1)
        for (int stride = size >> 1; stride > 0; stride >>= 1)
        {
            int full_pairs = whole / 2, half_pairs = size <= K / 2 ? (P - whole) / 2 : 0;
            for (int i = tid; i < full_pairs + half_pairs; i += nthreads)
            {
                int half = i >= full_pairs;
                int lo = half ? whole + mg_pair_lo(i - full_pairs, stride) : mg_pair_lo(i, stride);
                /* The half chunk starts at a multiple of K, so (lo & size) reads its own position for size <= K/2. */
                mg_order_pair(w, lo, lo + stride, size == (half ? K / 2 : K) || (lo & size) == 0);
            }
            mg_barrier();
        }
    /* 2. Halve the number of chunks until one is left: A[i] = better(A[i], B[K-1-i]) keeps the best K of A and B as
     *    a bitonic sequence, which a half-cleaner cascade then sorts. A half chunk B is a sorted chunk whose worst
     *    K/2 slots are empty: those never beat A[i], so only i >= K/2 compare. */
    for (int gap = K; gap < P; gap <<= 1)
    {
        int pairs = (P + 2 * gap - 1) / (2 * gap);
        for (int t = tid; t < pairs * K; t += nthreads)
        {
            int base = (t / K) * 2 * gap, i = t % K, j = base + gap + K - 1 - i;
            if (j >= P) continue;
            mg_scored_row a = w[base + i], b = w[j];
            if (mg_before(b, a)) w[base + i] = b;
        }
        mg_barrier();
        for (int stride = K >> 1; stride > 0; stride >>= 1)
        {
            for (int t = tid; t < pairs * (K / 2); t += nthreads)
            {
                int base = (t / (K / 2)) * 2 * gap;
                int lo = base + mg_pair_lo(t % (K / 2), stride);
                mg_order_pair(w, lo, lo + stride, 1);
            }
            mg_barrier();
        }
    }
}

/* Running lists of `lists` queries, laid out in dynamic shared memory as mg_running_bytes (mg_geometry.h) sizes them. */
typedef struct mg_running {
    mg_scored_row* slots;   /* [lists][P] */
    float* threshold;       /* [lists]: the k-th best score so far, -inf until k candidates are held */
    int* count;             /* [lists]: slots claimed in the append buffer (past capacity when offers were refused) */
    int lists, k, K, P, capacity;
} mg_running;

/* `buffer`: the fewest append slots a list keeps (its width is mg_running_width(K, buffer)). */
MG_DEV mg_running mg_running_init(void* shared, int lists, int k, int K, int buffer)
{
    mg_running r;
    r.lists = lists; r.k = k; r.K = K;
    r.P = mg_running_width(K, buffer);
    r.capacity = r.P - K;
    r.slots = (mg_scored_row*)shared;
    r.threshold = (float*)(r.slots + lists * r.P);
    r.count = (int*)(r.threshold + lists);
    for (int i = (int)mg_thread(); i < lists * r.P; i += (int)mg_threads()) r.slots[i] = mg_empty_row();
    for (int i = (int)mg_thread(); i < lists; i += (int)mg_threads()) { r.threshold[i] = mg_neg_inf(); r.count[i] = 0; }
    mg_barrier();
    return r;
}

/* The shared memory after the lists, where a kernel keeps its own data (mg_running_bytes ends here). */
MG_DEV void* mg_running_end(mg_running r) { return r.count + r.lists; }

/*
 * Offers a candidate to list q; safe from any thread (slots are claimed atomically). Returns 1 when done with it
 * (appended, or below the threshold), 0 when the list's buffer was full: offer it again after mg_running_fold_full.
 */
MG_DEV int mg_running_offer(mg_running r, int q, int row, float score)
{
    if (!(score >= r.threshold[q])) return 1;
    int slot = mg_atomic_add(&r.count[q], 1);
    if (slot >= r.capacity) return 0;
    mg_scored_row c;
    c.row = row;
    c.score = score;
    r.slots[q * r.P + r.K + slot] = c;
    return 1;
}

/* Folds list q's buffer into its best K and refreshes its threshold. Block-wide; q must be uniform. */
MG_DEV void mg_running_fold(mg_running r, int q)
{
    mg_scored_row* w = r.slots + q * r.P;
    int used = r.count[q] < r.capacity ? r.count[q] : r.capacity;
    for (int i = r.K + used + (int)mg_thread(); i < r.P; i += (int)mg_threads()) w[i] = mg_empty_row();
    mg_bitonic_top_k(w, r.P, r.K);
    if (mg_thread() == 0)
    {
        r.count[q] = 0;
        mg_scored_row kth = w[r.k - 1];
        r.threshold[q] = kth.row < 0 ? mg_neg_inf() : kth.score;
    }
    mg_barrier();
}

/*
 * Called by all threads after a round of offers that refused a candidate (a uniform decision: mg_barrier_any):
 * folds every list whose buffer is full, so the refused can be offered again. Begins and ends with a barrier.
 */
MG_DEV void mg_running_fold_full(mg_running r)
{
    mg_barrier();
    for (int q = 0; q < r.lists; q++)
        if (r.count[q] >= r.capacity) mg_running_fold(r, q);   /* uniform: read after a barrier, changed only inside fold */
    mg_barrier();
}

/* At the end of the scan, called by all threads: folds every list that still holds appended candidates. */
MG_DEV void mg_running_finish(mg_running r)
{
    mg_barrier();
    for (int q = 0; q < r.lists; q++)
        if (r.count[q] > 0) mg_running_fold(r, q);   /* uniform: read after the barrier, changed only inside fold */
    mg_barrier();
}

/* Writes list q's best k to out[0, k) (empty slots keep row -1). */
MG_DEV void mg_running_store(mg_running r, int q, mg_scored_row* out)
{
    for (int i = (int)mg_thread(); i < r.k; i += (int)mg_threads()) out[i] = r.slots[q * r.P + i];
}

#endif /* MG_SELECT_CUH */
