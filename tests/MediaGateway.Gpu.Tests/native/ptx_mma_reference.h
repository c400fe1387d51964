// The tensor-core MMAs the kernels use, mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 (and on sm_75 its
// m16n8k8 twin, below), written from the PTX ISA ("Matrix Fragments for mma.m16n8k16 with floating point type",
// section 9.7.14.5.8; "Matrix Fragments for mma.m16n8k8") and from nothing else in this repository. The emulator (mg_host_emulation.h) computes its MMA through this header, so the
// kernels' own fragment layout (documented in native/include/mg_cuda_compat.h, loaded by native/topk_mma.cu)
// is checked against the ISA rather than against itself: the emulated parity tests fail if the two disagree,
// and mma_layout_harness.cpp compares them element by element.
//
// The ISA names each lane's elements low to high: a0..a7 for A (four .f16x2 registers, two elements each,
// the lower-numbered element in the register's low 16 bits), b0..b3 for B (two .f16x2 registers) and
// c0..c3 / d0..d3 for the fp32 accumulators (four .f32 registers). For each, it gives the element's row and
// column in terms of
//   groupID           = %laneid >> 2
//   threadID_in_group = %laneid % 4
// and those formulas are transcribed below, one function per operand.
#ifndef PTX_MMA_REFERENCE_H
#define PTX_MMA_REFERENCE_H

// What the two shapes below share: the lane naming, the accumulator layout (the same for both), and scattering
// every lane's registers into whole matrices by a shape's element formulas.
namespace ptx_mma {

struct coord { int row, col; };

constexpr int group_id(int lane) { return lane >> 2; }
constexpr int thread_id_in_group(int lane) { return lane % 4; }

// Accumulators C and D (16 x 8, fp32, four registers per lane): row = groupID for ci with i < 2, groupID + 8
// otherwise; col = threadID_in_group * 2 + (i & 1).
constexpr coord c_element(int lane, int i)
{
    int row = i < 2 ? group_id(lane) : group_id(lane) + 8;
    return {row, thread_id_in_group(lane) * 2 + (i & 1)};
}

// Element i of a lane's .f16x2 fragment lives in register i / 2, in the low half when i is even.
constexpr int register_of(int i) { return i / 2; }
constexpr bool in_high_half(int i) { return (i & 1) != 0; }

// The operands as whole matrices (A 16 x K, B K x 8), scattered from every lane's A_REGS and B_REGS registers by the
// shape's a_element / b_element formulas. to_float converts one fp16 bit pattern.
template <int K, int A_REGS, int B_REGS, typename U32, typename AElement, typename BElement, typename ToFloat>
void gather(const U32 a[32][A_REGS], const U32 b[32][B_REGS], float A[16][K], float B[K][8], AElement a_element, BElement b_element,
            ToFloat to_float)
{
    auto half_of = [&](U32 reg, int i) { return to_float((unsigned short)(in_high_half(i) ? reg >> 16 : reg & 0xffffu)); };
    for (int lane = 0; lane < 32; lane++)
    {
        for (int i = 0; i < 2 * A_REGS; i++)
        {
            coord at = a_element(lane, i);
            A[at.row][at.col] = half_of(a[lane][register_of(i)], i);
        }
        for (int i = 0; i < 2 * B_REGS; i++)
        {
            coord at = b_element(lane, i);
            B[at.row][at.col] = half_of(b[lane][register_of(i)], i);
        }
    }
}

// One lane's D = A x B + C: its four accumulators, placed by the C/D formula. Products of fp16 values are
// exact in fp32; the hardware's summation order is unspecified, this one sums k in order.
template <int K>
void lane_mma(int lane, const float A[16][K], const float B[K][8], const float c[4], float d[4])
{
    for (int i = 0; i < 4; i++)
    {
        coord at = c_element(lane, i);
        float sum = 0.0f;
        for (int k = 0; k < K; k++) sum += A[at.row][k] * B[k][at.col];
        d[i] = c[i] + sum;
    }
}

} // namespace ptx_mma

namespace ptx_m16n8k16 {

constexpr int M = 16, N = 8, K = 16;
constexpr int A_ELEMENTS = 8, B_ELEMENTS = 4, C_ELEMENTS = 4;
using ptx_mma::coord;
using ptx_mma::group_id;
using ptx_mma::thread_id_in_group;
using ptx_mma::c_element;
using ptx_mma::register_of;
using ptx_mma::in_high_half;

// Multiplicand A (M x K, .row): row = groupID for ai with 0 <= i < 2 or 4 <= i < 6, groupID + 8 otherwise;
// col = threadID_in_group * 2 + (i & 1) for i < 4, the same + 8 for i >= 4.
constexpr coord a_element(int lane, int i)
{
    int row = (i < 2 || (i >= 4 && i < 6)) ? group_id(lane) : group_id(lane) + 8;
    int col = thread_id_in_group(lane) * 2 + (i & 1) + (i >= 4 ? 8 : 0);
    return {row, col};
}

// Multiplicand B (K x N, .col): row = threadID_in_group * 2 + (i & 1) for bi with i < 2, the same + 8 for
// i >= 2; col = groupID.
constexpr coord b_element(int lane, int i)
{
    int row = thread_id_in_group(lane) * 2 + (i & 1) + (i >= 2 ? 8 : 0);
    return {row, group_id(lane)};
}

template <typename U32, typename ToFloat>
void gather_operands(const U32 a[32][4], const U32 b[32][2], float A[M][K], float B[K][N], ToFloat to_float)
{
    ptx_mma::gather<K, 4, 2>(a, b, A, B, a_element, b_element, to_float);
}

inline void lane_mma(int lane, const float A[M][K], const float B[K][N], const float c[4], float d[4]) { ptx_mma::lane_mma<K>(lane, A, B, c, d); }

} // namespace ptx_m16n8k16

// mma.sync.aligned.m16n8k8.row.col.f32.f16.f16.f32, the only f16 MMA of sm_75 (a T4), from the PTX ISA
// ("Matrix Fragments for mma.m16n8k8", the .f16 tables): two .f16x2 registers of A (a0..a3), one of B
// (b0, b1), the same four fp32 accumulators as m16n8k16.
namespace ptx_m16n8k8 {

constexpr int M = 16, N = 8, K = 8;
constexpr int A_ELEMENTS = 4, B_ELEMENTS = 2;
using ptx_mma::coord;
using ptx_mma::group_id;
using ptx_mma::thread_id_in_group;

// Multiplicand A (M x K, .row): row = groupID for a0 and a1, groupID + 8 for a2 and a3;
// col = threadID_in_group * 2 + (i & 1).
constexpr coord a_element(int lane, int i)
{
    return {i < 2 ? group_id(lane) : group_id(lane) + 8, thread_id_in_group(lane) * 2 + (i & 1)};
}

// Multiplicand B (K x N, .col): row = threadID_in_group * 2 + i for bi; col = groupID.
constexpr coord b_element(int lane, int i) { return {thread_id_in_group(lane) * 2 + i, group_id(lane)}; }

template <typename U32, typename ToFloat>
void gather_operands(const U32 a[32][2], const U32 b[32][1], float A[M][K], float B[K][N], ToFloat to_float)
{
    ptx_mma::gather<K, 2, 1>(a, b, A, B, a_element, b_element, to_float);
}

inline void lane_mma(int lane, const float A[M][K], const float B[K][N], const float c[4], float d[4]) { ptx_mma::lane_mma<K>(lane, A, B, c, d); }

} // namespace ptx_m16n8k8

#endif
