// Test-only stand-ins for the CUDA primitives of native/include/mg_cuda_compat.h, so the real kernel
// sources run on CPU threads: one std::thread per CUDA thread, a real barrier per block and per warp,
// shuffles and the tensor-core MMA exchanged through per-warp scratch memory. Slow, but the threads
// really race, which is what a host-only logic test cannot show. Included when MG_HOST_EMULATION is set.
#ifndef MG_HOST_EMULATION_H
#define MG_HOST_EMULATION_H

#include <cmath>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "ptx_mma_reference.h"

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define MG_DEV static inline

// A reusable barrier that behaves under heavy oversubscription (256 threads on two cores): arrivals
// count on an atomic, the last one bumps the generation and wakes the rest (futex, no mutex).
struct mg_emu_barrier {
    std::atomic<unsigned> waiting{0}, generation{0};
    unsigned expected;
    explicit mg_emu_barrier(unsigned n) : expected(n) {}
    void wait()
    {
        unsigned gen = generation.load(std::memory_order_acquire);
        if (waiting.fetch_add(1, std::memory_order_acq_rel) + 1 == expected)
        {
            waiting.store(0, std::memory_order_relaxed);
            generation.fetch_add(1, std::memory_order_acq_rel);
            generation.notify_all();
            return;
        }
        while (generation.load(std::memory_order_acquire) == gen) generation.wait(gen, std::memory_order_acquire);
    }
};

struct mg_emu_block {
    unsigned block, blocks, threads;
    void* shared;
    mg_emu_barrier* barrier;
    mg_emu_barrier** warp_barriers;
    std::atomic<int>* votes;   // [3]: mg_barrier_any's flags, used in rotation
    float* shuffle;        // [warps][32]
    mg_u32* fragments;     // [warps][32][6]: a[4], b[2] per lane
};

extern thread_local mg_emu_block* mg_emu_current;
extern thread_local unsigned mg_emu_tid;
extern thread_local unsigned mg_emu_vote_round;   // mg_barrier_any calls made by this thread in this block

MG_DEV unsigned mg_thread(void) { return mg_emu_tid; }
MG_DEV unsigned mg_threads(void) { return mg_emu_current->threads; }
MG_DEV unsigned mg_block(void) { return mg_emu_current->block; }
MG_DEV unsigned mg_blocks(void) { return mg_emu_current->blocks; }
MG_DEV void* mg_dynamic_shared(void) { return mg_emu_current->shared; }
MG_DEV void mg_barrier(void) { mg_emu_current->barrier->wait(); }

// Every thread calls mg_barrier_any in the same sequence, so call n of each thread uses flag n % 3. Thread 0
// clears the flag of call n + 1 before arriving at call n's barrier: its last readers (call n - 2) all passed
// call n - 1's barrier, and its next writers (call n + 1) cannot start before call n's barrier releases.
MG_DEV int mg_barrier_any(int predicate)
{
    unsigned round = mg_emu_vote_round++;
    std::atomic<int>* votes = mg_emu_current->votes;
    if (mg_emu_tid == 0) votes[(round + 1) % 3].store(0);
    if (predicate) votes[round % 3].store(1);
    mg_emu_current->barrier->wait();
    return votes[round % 3].load();
}

MG_DEV void mg_warp_wait(void) { mg_emu_current->warp_barriers[mg_emu_tid / 32]->wait(); }

MG_DEV float mg_shfl_xor(float v, int lane_mask)
{
    float* lanes = mg_emu_current->shuffle + (mg_emu_tid / 32) * 32;
    unsigned lane = mg_emu_tid & 31;
    lanes[lane] = v;
    mg_warp_wait();
    float r = lanes[lane ^ (unsigned)lane_mask];
    mg_warp_wait();
    return r;
}

MG_DEV float mg_warp_sum(float v)
{
    for (int m = 16; m > 0; m >>= 1) v += mg_shfl_xor(v, m);
    return v;
}

MG_DEV int mg_atomic_add(int* address, int value) { return __atomic_fetch_add(address, value, __ATOMIC_SEQ_CST); }
MG_DEV float mg_neg_inf(void) { return -INFINITY; }

MG_DEV mg_half mg_f32_to_f16(float x)
{
    _Float16 h = (_Float16)x;   // round to nearest even, like cvt.rn.f16.f32
    mg_half bits;
    std::memcpy(&bits, &h, 2);
    return bits;
}

MG_DEV float mg_f16_to_f32(mg_half bits)
{
    _Float16 h;
    std::memcpy(&h, &bits, 2);
    return (float)h;
}

MG_DEV void mg_unpack_f16x2(mg_u32 packed, float* lo, float* hi)
{
    *lo = mg_f16_to_f32((mg_half)(packed & 0xffffu));
    *hi = mg_f16_to_f32((mg_half)(packed >> 16));
}

MG_DEV mg_u32 mg_load_u32(const mg_half* p) { mg_u32 v; std::memcpy(&v, p, 4); return v; }
// A GPU faults on a vector load from an address that is not a multiple of its size; so does the emulator.
inline void mg_emu_check_aligned(const void* p, unsigned bytes, const char* what)
{
    if ((uintptr_t)p % bytes == 0) return;
    std::fprintf(stderr, "misaligned %s: %p is not a multiple of %u\n", what, p, bytes);
    std::abort();
}
MG_DEV void mg_load_u32x4(const mg_half* p, mg_u32 v[4]) { mg_emu_check_aligned(p, 16, "ld.global.v4"); std::memcpy(v, p, 16); }
MG_DEV void mg_load_u32x2(const mg_half* p, mg_u32 v[2]) { mg_emu_check_aligned(p, 8, "ld.global.v2"); std::memcpy(v, p, 8); }
MG_DEV void mg_load_shared_u32x4(const mg_u32* p, mg_u32 v[4]) { mg_emu_check_aligned(p, 16, "ld.shared.v4"); std::memcpy(v, p, 16); }
MG_DEV void mg_load_shared_u32x2(const mg_u32* p, mg_u32 v[2]) { mg_emu_check_aligned(p, 8, "ld.shared.v2"); std::memcpy(v, p, 8); }
MG_DEV float mg_sqrtf(float x) { return std::sqrt(x); }

// The tensor-core MMAs: the warp's lanes publish their fragments (A_REGS + B_REGS registers, at most 6), then each
// lane rebuilds A (16 x K) and B (K x 8) and computes its own four accumulators. The fragment layouts come from
// ptx_mma_reference.h, transcribed from the PTX ISA, not from mg_cuda_compat.h: the kernels' layout is tested
// against them.
template <int K, int A_REGS, int B_REGS, typename AElement, typename BElement>
inline void mg_emu_mma(float d[4], const mg_u32 a[A_REGS], const mg_u32 b[B_REGS], AElement a_element, BElement b_element)
{
    mg_u32* warp = mg_emu_current->fragments + (mg_emu_tid / 32) * 32 * 6;
    unsigned lane = mg_emu_tid & 31;
    for (int i = 0; i < A_REGS; i++) warp[lane * 6 + i] = a[i];
    for (int i = 0; i < B_REGS; i++) warp[lane * 6 + A_REGS + i] = b[i];
    mg_warp_wait();
    mg_u32 all_a[32][A_REGS], all_b[32][B_REGS];
    for (int l = 0; l < 32; l++)
    {
        for (int i = 0; i < A_REGS; i++) all_a[l][i] = warp[l * 6 + i];
        for (int i = 0; i < B_REGS; i++) all_b[l][i] = warp[l * 6 + A_REGS + i];
    }
    mg_warp_wait();
    float A[16][K], B[K][8];
    ptx_mma::gather<K, A_REGS, B_REGS>(all_a, all_b, A, B, a_element, b_element, [](unsigned short h) { return mg_f16_to_f32(h); });
    float c[4] = {d[0], d[1], d[2], d[3]};
    ptx_mma::lane_mma<K>((int)lane, A, B, c, d);
}

MG_DEV void mg_mma_16816_k16(float d[4], const mg_u32 a[4], const mg_u32 b[2])
{
    mg_emu_mma<16, 4, 2>(d, a, b, ptx_m16n8k16::a_element, ptx_m16n8k16::b_element);
}

MG_DEV void mg_mma_1688(float d[4], const mg_u32 a[2], mg_u32 b)
{
    mg_emu_mma<8, 2, 1>(d, a, &b, ptx_m16n8k8::a_element, ptx_m16n8k8::b_element);
}

// The emulated device's compute capability (MG_FAKE_CUDA_SM): below 80 the kernels' MMAs run as m16n8k8 pairs,
// as NVRTC compiles them for sm_75.
extern int mg_emu_sm;
#define MG_MMA_K8_ONLY (mg_emu_sm < 80)

#endif
