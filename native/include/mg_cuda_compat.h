/*
 * The few CUDA facilities the kernels use, spelled so one source compiles three ways:
 *   - NVRTC at run time (the production path; __CUDACC_RTC__): CUDA keywords are built in;
 *   - clang -x cuda -nocudainc -nocudalib (scripts/ptx-check.sh, CI without the CUDA toolkit):
 *     nothing is declared, so the keywords are defined here;
 *   - nvcc, if someone uses it: keywords come from its own headers.
 * Thread indices, barriers, shuffles, fp16 conversion and the tensor-core MMA are written as inline
 * PTX, which all three accept identically, instead of relying on cuda_fp16.h or cuda_runtime.h
 * (neither exists on a machine without the toolkit, and NVRTC only ships them with some versions).
 */
#ifndef MG_CUDA_COMPAT_H
#define MG_CUDA_COMPAT_H

#if defined(MG_HOST_EMULATION)
/* Tests only: the kernels run on CPU threads (tests/MediaGateway.Gpu.Tests/native/mg_host_emulation.h). */
#include "mg_types.h"
typedef unsigned short mg_half;
typedef unsigned int mg_u32;
typedef unsigned long long mg_u64;
#include "mg_host_emulation.h"
#else

#if defined(__CUDA__) && !defined(__CUDACC__) && !defined(__CUDACC_RTC__)
/* clang CUDA mode without the CUDA headers. */
#define __global__ __attribute__((global))
#define __device__ __attribute__((device))
#define __host__ __attribute__((host))
#define __shared__ __attribute__((shared))
#define __forceinline__ __inline__ __attribute__((always_inline))
#define __launch_bounds__(...) __attribute__((launch_bounds(__VA_ARGS__)))
#define MG_CLANG_NOCUDAINC 1
extern "C" __device__ float __nv_log10f(float);   /* libdevice; resolved when linked, declared for PTX */
extern "C" __device__ float __nv_fminf(float, float);
extern "C" __device__ float __nv_sqrtf(float);
#endif

#include "mg_types.h"

typedef unsigned short mg_half;   /* fp16 storage; arithmetic happens in fp32 after cvt */
typedef unsigned int mg_u32;
typedef unsigned long long mg_u64;

#define MG_DEV static __device__ __forceinline__

MG_DEV unsigned mg_thread(void) { unsigned v; asm("mov.u32 %0, %%tid.x;" : "=r"(v)); return v; }
MG_DEV unsigned mg_threads(void) { unsigned v; asm("mov.u32 %0, %%ntid.x;" : "=r"(v)); return v; }
MG_DEV unsigned mg_block(void) { unsigned v; asm("mov.u32 %0, %%ctaid.x;" : "=r"(v)); return v; }
MG_DEV unsigned mg_blocks(void) { unsigned v; asm("mov.u32 %0, %%nctaid.x;" : "=r"(v)); return v; }
MG_DEV unsigned mg_block_y(void) { unsigned v; asm("mov.u32 %0, %%ctaid.y;" : "=r"(v)); return v; }

/* The block's dynamic shared memory (the launch's sharedBytes), declared 16-byte aligned: the tensor-core kernels
 * load their staged queries 16 bytes at a time, and only the declared alignment is guaranteed. */
extern __shared__ __attribute__((aligned(16))) unsigned long long mg_dynamic_shared_words[];
MG_DEV void* mg_dynamic_shared(void) { return mg_dynamic_shared_words; }

/* __syncthreads(); the memory clobber stops the compiler caching shared memory across it. */
MG_DEV void mg_barrier(void) { asm volatile("bar.sync 0;" ::: "memory"); }

/* __syncthreads_or(): a barrier that also tells every thread whether any thread's predicate was non-zero. */
MG_DEV int mg_barrier_any(int predicate)
{
    int any;
    asm volatile("{ .reg .pred p, q; setp.ne.s32 p, %1, 0; bar.red.or.pred q, 0, p; selp.s32 %0, 1, 0, q; }"
                 : "=r"(any) : "r"(predicate) : "memory");
    return any;
}

MG_DEV float mg_shfl_xor(float v, int lane_mask)
{
    float r;
    asm volatile("shfl.sync.bfly.b32 %0, %1, %2, 0x1f, 0xffffffff;" : "=f"(r) : "f"(v), "r"(lane_mask));
    return r;
}

MG_DEV float mg_warp_sum(float v)
{
    for (int m = 16; m > 0; m >>= 1) v += mg_shfl_xor(v, m);
    return v;
}

/* Shared-memory slot claim; returns the old value. Generic addressing works for shared too. */
MG_DEV int mg_atomic_add(int* address, int value)
{
    int old;
    asm volatile("atom.add.s32 %0, [%1], %2;" : "=r"(old) : "l"(address), "r"(value) : "memory");
    return old;
}

MG_DEV float mg_neg_inf(void) { float v; asm("mov.f32 %0, 0fFF800000;" : "=f"(v)); return v; }

MG_DEV mg_half mg_f32_to_f16(float x) { mg_half h; asm("cvt.rn.f16.f32 %0, %1;" : "=h"(h) : "f"(x)); return h; }
MG_DEV float mg_f16_to_f32(mg_half h) { float x; asm("cvt.f32.f16 %0, %1;" : "=f"(x) : "h"(h)); return x; }

/* Two packed fp16 (low half first in memory) to two floats. */
MG_DEV void mg_unpack_f16x2(mg_u32 packed, float* lo, float* hi)
{
    *lo = mg_f16_to_f32((mg_half)(packed & 0xffffu));
    *hi = mg_f16_to_f32((mg_half)(packed >> 16));
}

/* Read-only global loads through the non-coherent cache: the catalog never changes during a launch. */
MG_DEV mg_u32 mg_load_u32(const mg_half* p) { mg_u32 v; asm("ld.global.nc.b32 %0, [%1];" : "=r"(v) : "l"(p)); return v; }

/* 16 bytes (eight fp16) in one load; the address must be 16-byte aligned. */
MG_DEV void mg_load_u32x4(const mg_half* p, mg_u32 v[4])
{
    asm("ld.global.nc.v4.u32 {%0, %1, %2, %3}, [%4];" : "=r"(v[0]), "=r"(v[1]), "=r"(v[2]), "=r"(v[3]) : "l"(p));
}

/* 8 bytes (four fp16) in one load; the address must be 8-byte aligned. */
MG_DEV void mg_load_u32x2(const mg_half* p, mg_u32 v[2])
{
    asm("ld.global.nc.v2.u32 {%0, %1}, [%2];" : "=r"(v[0]), "=r"(v[1]) : "l"(p));
}

/* Shared-memory vector loads (16 and 8 bytes, aligned): plain aligned struct copies, which the compiler emits as one
 * ld.shared.v4/v2 (or a generic ld.v4/v2 where it cannot prove the address is shared). */
typedef struct __attribute__((aligned(16))) mg_u32x4 { mg_u32 x, y, z, w; } mg_u32x4;
typedef struct __attribute__((aligned(8))) mg_u32x2 { mg_u32 x, y; } mg_u32x2;
MG_DEV void mg_load_shared_u32x4(const mg_u32* p, mg_u32 v[4])
{
    mg_u32x4 w = *(const mg_u32x4*)p;
    v[0] = w.x; v[1] = w.y; v[2] = w.z; v[3] = w.w;
}
MG_DEV void mg_load_shared_u32x2(const mg_u32* p, mg_u32 v[2])
{
    mg_u32x2 w = *(const mg_u32x2*)p;
    v[0] = w.x; v[1] = w.y;
}

MG_DEV float mg_sqrtf(float x) { float r; asm("sqrt.rn.f32 %0, %1;" : "=f"(r) : "f"(x)); return r; }

/*
 * sm_75 (Turing, a T4) has no m16n8k16 MMA, only m16n8k8; mg_mma_16816 below then runs two of those.
 * scripts/mma_fragment_probe.py defines MG_MMA_K8_ONLY=1 to check that path on a newer GPU.
 */
#ifndef MG_MMA_K8_ONLY
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ < 800
#define MG_MMA_K8_ONLY 1
#else
#define MG_MMA_K8_ONLY 0
#endif
#endif

/* D = A x B + D, A 16x16 fp16, B 16x8 fp16, D 16x8 fp32, in one instruction (sm_80 or newer). */
MG_DEV void mg_mma_16816_k16(float d[4], const mg_u32 a[4], const mg_u32 b[2])
{
#if !MG_MMA_K8_ONLY
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 "
                 "{%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%0, %1, %2, %3};"
                 : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
#else
    (void)d; (void)a; (void)b;
#endif
}

/* D = A x B + D, A 16x8 fp16 (a[0]: A[g][2t..2t+1], a[1]: A[g+8][2t..2t+1]), B 8x8 (b: B[2t..2t+1][g]); sm_75 or newer. */
MG_DEV void mg_mma_1688(float d[4], const mg_u32 a[2], mg_u32 b)
{
    asm volatile("mma.sync.aligned.m16n8k8.row.col.f32.f16.f16.f32 "
                 "{%0, %1, %2, %3}, {%4, %5}, {%6}, {%0, %1, %2, %3};"
                 : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
                 : "r"(a[0]), "r"(a[1]), "r"(b));
}

#endif /* MG_HOST_EMULATION */

/*
 * D = A x B + D on the tensor cores: A 16x16 fp16 (row-major), B 16x8 fp16 (column-major),
 * D 16x8 fp32. Fragment ownership per lane (g = lane / 4, t = lane % 4), from the PTX ISA:
 *   a[0]: A[g][2t..2t+1]  a[1]: A[g+8][2t..2t+1]  a[2]: A[g][2t+8..]  a[3]: A[g+8][2t+8..]
 *   b[0]: B[2t..2t+1][g]  b[1]: B[2t+8..2t+9][g]
 *   d[0..1]: D[g][2t..2t+1]  d[2..3]: D[g+8][2t..2t+1]
 * tests/MediaGateway.Gpu.Tests/MmaLayoutTests checks this table against an independent transcription of the
 * ISA's (the emulator's MMA is built on that one), and scripts/mma_fragment_probe.py against torch on hardware.
 * On sm_75 the same fragments go through two m16n8k8: the ISA's m16n8k8 fragments are exactly the k = 0..7
 * half (a[0], a[1], b[0]) and the k = 8..15 half (a[2], a[3], b[1]) of the m16n8k16 ones (MmaLayoutTests checks
 * that too), so the kernels need no second layout.
 */
MG_DEV void mg_mma_16816(float d[4], const mg_u32 a[4], const mg_u32 b[2])
{
    if (MG_MMA_K8_ONLY)
    {
        const mg_u32 low[2] = {a[0], a[1]}, high[2] = {a[2], a[3]};
        mg_mma_1688(d, low, b[0]);
        mg_mma_1688(d, high, b[1]);
    }
    else
        mg_mma_16816_k16(d, a, b);
}

#endif /* MG_CUDA_COMPAT_H */
