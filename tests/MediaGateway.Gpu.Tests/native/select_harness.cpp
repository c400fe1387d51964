// Runs native/include/mg_select.cuh on the host: one "thread", barriers as no-ops. Reads test cases
// from stdin, feeds the candidates through the running top-k exactly as the scan kernels do (sub-tiles
// of `step` candidates: offer each; while any was refused, fold the full lists and offer those again; then
// finish) and prints the kept rows. Lists keep an append buffer of at least `buffer` slots: less than a
// sub-tile (as in the tensor-core kernels) takes several rounds.
// Input per case: "k step buffer n" then n lines "row score" (row -1 = skip, as a filtered row would be).
// Output per case: "k_out" then k_out lines "row score" best first.
#include <cmath>
#include <cstdio>
#include <vector>

#define MG_SELECT_HOST_SHIM 1
#define MG_DEV static inline
#include "mg_types.h"
static unsigned mg_thread(void) { return 0; }
static unsigned mg_threads(void) { return 1; }
static void mg_barrier(void) {}
static int mg_barrier_any(int predicate) { return predicate; }
static float mg_neg_inf(void) { return -INFINITY; }
static int mg_atomic_add(int* address, int value) { int old = *address; *address += value; return old; }
#include "mg_select.cuh"

int main()
{
    int k, step, buffer, n;
    while (std::scanf("%d %d %d %d", &k, &step, &buffer, &n) == 4)
    {
        int K = 1;
        while (K < k) K <<= 1;
        std::vector<unsigned long long> shared((mg_running_bytes(1, K, buffer) + 7) / 8);
        mg_running run = mg_running_init(shared.data(), 1, k, K, buffer);
        std::vector<int> rows(n);
        std::vector<float> scores(n);
        for (int i = 0; i < n; i++)
            if (std::scanf("%d %a", &rows[i], &scores[i]) != 2) return 2;
        for (int tile = 0; tile < n; tile += step)
        {
            int end = tile + step < n ? tile + step : n;
            std::vector<int> waiting;
            for (int i = tile; i < end; i++)
                if (rows[i] >= 0) waiting.push_back(i);
            for (;;)
            {
                std::vector<int> refused;
                for (int i : waiting)
                    if (!mg_running_offer(run, 0, rows[i], scores[i])) refused.push_back(i);
                if (!mg_barrier_any(!refused.empty())) break;
                mg_running_fold_full(run);
                waiting = refused;
            }
        }
        mg_running_finish(run);
        std::vector<mg_scored_row> out(k);
        mg_running_store(run, 0, out.data());
        std::printf("%d\n", k);
        for (int i = 0; i < k; i++) std::printf("%d %a\n", out[i].row, out[i].score);
    }
    return 0;
}
