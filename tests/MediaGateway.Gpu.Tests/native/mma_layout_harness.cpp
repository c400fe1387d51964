// Checks the kernels' tensor-core fragment layout against the PTX ISA's. The kernels' layout is the table in
// native/include/mg_cuda_compat.h (above mg_mma_16816), which native/topk_mma.cu follows when it loads A from
// the catalog, B from the staged queries and reads the accumulators; it is restated here per register.
// The ISA's layout is ptx_mma_reference.h. Prints one line per failed check and "ok" when all pass.
#include <cstdio>
#include <cstring>
#include <random>

#include "ptx_mma_reference.h"

using namespace ptx_m16n8k16;

namespace {

int failures = 0;

void fail(const char* what, int lane, int index, coord got, coord want)
{
    std::printf("%s lane %d element %d: ISA (%d,%d), kernel layout (%d,%d)\n", what, lane, index, got.row, got.col, want.row, want.col);
    failures++;
}

// mg_cuda_compat.h: a[0]: A[g][2t..2t+1]  a[1]: A[g+8][2t..2t+1]  a[2]: A[g][2t+8..]  a[3]: A[g+8][2t+8..]
coord kernel_a(int lane, int reg, int half)
{
    int g = lane / 4, t = lane % 4;
    return {g + (reg & 1 ? 8 : 0), 2 * t + (reg >= 2 ? 8 : 0) + half};
}

// mg_cuda_compat.h: b[0]: B[2t..2t+1][g]  b[1]: B[2t+8..2t+9][g]
coord kernel_b(int lane, int reg, int half)
{
    int g = lane / 4, t = lane % 4;
    return {2 * t + (reg ? 8 : 0) + half, g};
}

// mg_cuda_compat.h: d[0..1]: D[g][2t..2t+1]  d[2..3]: D[g+8][2t..2t+1]
coord kernel_d(int lane, int e)
{
    int g = lane / 4, t = lane % 4;
    return {e < 2 ? g : g + 8, 2 * t + (e & 1)};
}

// native/include/mg_mma_chunk.h: lane (g, t) holds dims 8t..8t+7 of a 32-dim chunk of its rows and its query;
// MMA `step` (0, 1) takes dims 8t + 4 step .. + 3 as its k = 2t, 2t+1 (register pair 0) and 2t+8, 2t+9 (pair 1).
// A 16-dim tail (width 16): lane t holds dims 4t..4t+3, one MMA. Returns the dim a (register pair, half) holds.
int chunk_dim(int width, int lane, int step, int pair, int half)
{
    int t = lane % 4;
    return width == 32 ? 8 * t + 4 * step + 2 * pair + half : 4 * t + 2 * pair + half;
}

bool same(coord x, coord y) { return x.row == y.row && x.col == y.col; }

// Every element of an operand is held by exactly one (lane, element).
template <typename Map>
void check_covers_once(const char* what, int rows, int cols, int elements, Map map)
{
    int seen[16][16] = {};
    for (int lane = 0; lane < 32; lane++)
        for (int i = 0; i < elements; i++)
        {
            coord at = map(lane, i);
            if (at.row < 0 || at.row >= rows || at.col < 0 || at.col >= cols)
            {
                std::printf("%s lane %d element %d outside the matrix: (%d,%d)\n", what, lane, i, at.row, at.col);
                failures++;
                continue;
            }
            seen[at.row][at.col]++;
        }
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++)
            if (seen[r][c] != 1)
            {
                std::printf("%s (%d,%d) held %d times\n", what, r, c, seen[r][c]);
                failures++;
            }
}

unsigned short to_half(float x)
{
    _Float16 h = (_Float16)x;
    unsigned short bits;
    std::memcpy(&bits, &h, 2);
    return bits;
}

float from_half(unsigned short bits)
{
    _Float16 h;
    std::memcpy(&h, &bits, 2);
    return (float)h;
}

unsigned pack(float low, float high) { return (unsigned)to_half(low) | ((unsigned)to_half(high) << 16); }

} // namespace

int main()
{
    check_covers_once("A", M, K, A_ELEMENTS, a_element);
    check_covers_once("B", K, N, B_ELEMENTS, b_element);
    check_covers_once("C/D", M, N, C_ELEMENTS, c_element);

    for (int lane = 0; lane < 32; lane++)
    {
        for (int i = 0; i < A_ELEMENTS; i++)
            if (!same(a_element(lane, i), kernel_a(lane, register_of(i), i & 1))) fail("A", lane, i, a_element(lane, i), kernel_a(lane, register_of(i), i & 1));
        for (int i = 0; i < B_ELEMENTS; i++)
            if (!same(b_element(lane, i), kernel_b(lane, register_of(i), i & 1))) fail("B", lane, i, b_element(lane, i), kernel_b(lane, register_of(i), i & 1));
        for (int i = 0; i < C_ELEMENTS; i++)
            if (!same(c_element(lane, i), kernel_d(lane, i))) fail("C/D", lane, i, c_element(lane, i), kernel_d(lane, i));
    }

    // End to end: fragments loaded the kernels' way, multiplied the ISA's way, equal a plain product.
    // Small integers are exact in fp16 and their sums exact in fp32, so equality is exact.
    std::mt19937 random(7);
    std::uniform_int_distribution<int> small(-8, 8);
    for (int trial = 0; trial < 50; trial++)
    {
        float A[M][K], B[K][N], C[M][N];
        for (auto& row : A) for (auto& x : row) x = (float)small(random);
        for (auto& row : B) for (auto& x : row) x = (float)small(random);
        for (auto& row : C) for (auto& x : row) x = (float)small(random);
        unsigned a[32][4], b[32][2];
        float c[32][4], d[4];
        for (int lane = 0; lane < 32; lane++)
        {
            for (int reg = 0; reg < 4; reg++)
            {
                coord lo = kernel_a(lane, reg, 0), hi = kernel_a(lane, reg, 1);
                a[lane][reg] = pack(A[lo.row][lo.col], A[hi.row][hi.col]);
            }
            for (int reg = 0; reg < 2; reg++)
            {
                coord lo = kernel_b(lane, reg, 0), hi = kernel_b(lane, reg, 1);
                b[lane][reg] = pack(B[lo.row][lo.col], B[hi.row][hi.col]);
            }
            for (int e = 0; e < 4; e++) c[lane][e] = C[kernel_d(lane, e).row][kernel_d(lane, e).col];
        }
        float gathered_a[M][K], gathered_b[K][N];
        gather_operands(a, b, gathered_a, gathered_b, from_half);
        for (int lane = 0; lane < 32; lane++)
        {
            lane_mma(lane, gathered_a, gathered_b, c[lane], d);
            for (int e = 0; e < 4; e++)
            {
                coord at = kernel_d(lane, e);
                float want = C[at.row][at.col];
                for (int k = 0; k < K; k++) want += A[at.row][k] * B[k][at.col];
                if (d[e] != want)
                {
                    std::printf("trial %d lane %d d[%d] = %g, plain product %g\n", trial, lane, e, d[e], want);
                    failures++;
                }
            }
        }
    }

    // sm_75: mg_cuda_compat.h runs one m16n8k16 as two m16n8k8, (a[0], a[1], b[0]) then (a[2], a[3], b[1]). By the
    // ISA's tables those are the k = 0..7 and k = 8..15 halves, so the pair must equal the one instruction exactly.
    for (int trial = 0; trial < 50; trial++)
    {
        unsigned a[32][4], b[32][2];
        for (auto& lane : a) for (auto& reg : lane) reg = pack((float)small(random), (float)small(random));
        for (auto& lane : b) for (auto& reg : lane) reg = pack((float)small(random), (float)small(random));
        float A[M][K], B[K][N];
        gather_operands(a, b, A, B, from_half);
        unsigned low_a[32][2], high_a[32][2], low_b[32][1], high_b[32][1];
        for (int lane = 0; lane < 32; lane++)
        {
            low_a[lane][0] = a[lane][0]; low_a[lane][1] = a[lane][1]; low_b[lane][0] = b[lane][0];
            high_a[lane][0] = a[lane][2]; high_a[lane][1] = a[lane][3]; high_b[lane][0] = b[lane][1];
        }
        float A_low[16][8], B_low[8][8], A_high[16][8], B_high[8][8];
        ptx_m16n8k8::gather_operands(low_a, low_b, A_low, B_low, from_half);
        ptx_m16n8k8::gather_operands(high_a, high_b, A_high, B_high, from_half);
        for (int lane = 0; lane < 32; lane++)
        {
            float zero[4] = {}, one[4], halves[4], pair[4];
            lane_mma(lane, A, B, zero, one);
            ptx_m16n8k8::lane_mma(lane, A_low, B_low, zero, halves);
            ptx_m16n8k8::lane_mma(lane, A_high, B_high, halves, pair);
            for (int e = 0; e < 4; e++)
                if (one[e] != pair[e])
                {
                    std::printf("k8 pair trial %d lane %d d[%d] = %g, m16n8k16 %g\n", trial, lane, e, pair[e], one[e]);
                    failures++;
                }
        }
    }

    // The chunked loading of mg_mma_chunk.h: each lane's A and B registers hold other dims than the table's k, the
    // same permutation on both sides, so the MMAs over a chunk must still sum to the plain product over its dims.
    for (int width : {32, 16})
        for (int trial = 0; trial < 50; trial++)
        {
            float rows[M][32], queries[N][32];
            for (auto& row : rows) for (auto& x : row) x = (float)small(random);
            for (auto& row : queries) for (auto& x : row) x = (float)small(random);
            float c[32][4] = {};
            for (int step = 0; step < width / 16; step++)
            {
                unsigned a[32][4], b[32][2];
                for (int lane = 0; lane < 32; lane++)
                {
                    int g = lane / 4;
                    for (int reg = 0; reg < 4; reg++)   // a[0]: row g, pair 0; a[1]: row g+8, pair 0; a[2], a[3]: pair 1
                    {
                        int row = g + (reg & 1 ? 8 : 0), pair = reg >= 2;
                        a[lane][reg] = pack(rows[row][chunk_dim(width, lane, step, pair, 0)], rows[row][chunk_dim(width, lane, step, pair, 1)]);
                    }
                    for (int reg = 0; reg < 2; reg++)
                        b[lane][reg] = pack(queries[g][chunk_dim(width, lane, step, reg, 0)], queries[g][chunk_dim(width, lane, step, reg, 1)]);
                }
                float gathered_a[M][K], gathered_b[K][N], d[4];
                gather_operands(a, b, gathered_a, gathered_b, from_half);
                for (int lane = 0; lane < 32; lane++)
                {
                    lane_mma(lane, gathered_a, gathered_b, c[lane], d);
                    for (int e = 0; e < 4; e++) c[lane][e] = d[e];
                }
            }
            for (int lane = 0; lane < 32; lane++)
                for (int e = 0; e < 4; e++)
                {
                    coord at = kernel_d(lane, e);
                    float want = 0;
                    for (int dim = 0; dim < width; dim++) want += rows[at.row][dim] * queries[at.col][dim];
                    if (c[lane][e] != want)
                    {
                        std::printf("chunk %d trial %d lane %d d[%d] = %g, plain product %g\n", width, trial, lane, e, c[lane][e], want);
                        failures++;
                    }
                }
        }

    if (failures == 0) std::printf("ok\n");
    return failures == 0 ? 0 : 1;
}
