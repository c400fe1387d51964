/*
 * Launch geometry shared by the kernels and the host: block sizes, rows per sub-tile, queries per
 * tensor-core block, and the shared-memory size of the running top-k lists. The C# host mirrors these
 * in Kernels/Cuda/KernelGeometry.cs; the layout test checks both against a gcc-compiled probe.
 * Plain C so gcc, clang -nocudainc and NVRTC all accept it.
 */
#ifndef MG_GEOMETRY_H
#define MG_GEOMETRY_H

#include "mg_types.h"

#if defined(__CUDACC__) || defined(__CUDACC_RTC__) || defined(__CUDA__)
#include "mg_cuda_compat.h"
#define MG_GEOMETRY_FN static __host__ __device__ __forceinline__
#else
#define MG_GEOMETRY_FN static inline
#endif

#define MG_STREAM_THREADS 256
#define MG_STREAM_ROWS_PER_WARP 32
#define MG_STREAM_STEP ((MG_STREAM_THREADS / 32) * MG_STREAM_ROWS_PER_WARP)   /* rows per sub-tile: 256 */

#define MG_MMA_THREADS 256
#define MG_MMA_QUERIES 32                                   /* queries per block: four n=8 MMA tiles */
#define MG_MMA_STEP ((MG_MMA_THREADS / 32) * 16)            /* catalog rows per sub-tile: 128 */
#define MG_MMA_MAX_K 128                                    /* wider lists would not fit 32 queries in shared memory */
#define MG_MMA_LARGE_QUERIES 64                             /* queries per block of the large-batch kernel: eight n=8 tiles */
#define MG_MMA_WIDE_QUERIES 8                               /* queries per block of the wide-list kernel (k up to MG_MAX_K): one n=8 tile */
#define MG_MMA_LIST_BUFFER 32                               /* fewest append slots per list: a sub-tile that brings more is offered in rounds */
#define MG_MMA_MAX_DIM 512                                  /* the block's queries are staged in shared memory */

#define MG_MERGE_THREADS 256
#define MG_MERGE_STEP MG_MERGE_THREADS                      /* candidates read per sub-tile */

/*
 * Slots per running list: the K best plus an append buffer of at least `buffer` slots — 2 * buffer - K of them while
 * K <= buffer, and half a chunk (K / 2) once K exceeds it. The fold sorts K-wide chunks and a half chunk alike
 * (mg_bitonic_top_k); a buffer of K / 2 rather than K takes a quarter less shared memory at K = 64..1024 (more
 * blocks per SM, wider lists where shared memory is short), at the price of folding twice as often while a list
 * settles, when most scores still pass its threshold.
 */
MG_GEOMETRY_FN int mg_running_width(int k_pow2, int buffer)
{
    return k_pow2 > buffer ? k_pow2 + k_pow2 / 2 : 2 * buffer;
}

/* Shared bytes of `lists` running lists: slots (8 bytes each), then per list a float threshold and an int count. */
MG_GEOMETRY_FN int mg_running_bytes(int lists, int k_pow2, int buffer)
{
    return lists * (mg_running_width(k_pow2, buffer) * (int)sizeof(mg_scored_row) + (int)sizeof(float) + (int)sizeof(int));
}

/* Dynamic shared memory per kernel: the running lists plus the kernel's own extras. */
MG_GEOMETRY_FN int mg_stream_shared_bytes(int k_pow2, int dim) { return mg_running_bytes(1, k_pow2, MG_STREAM_STEP) + dim * (int)sizeof(float); }
/*
 * fp16 per staged query row in the tensor-core kernels: dim, padded so a row is 64 bytes past a multiple of 128.
 * A 16-byte fragment load serves eight lanes per shared-memory wavefront, two query rows of 64 bytes each; with
 * that offset the two rows fall in different halves of the 32 banks, so no load conflicts. dim % 16 == 0. (The 8-byte
 * loads of a 16-dim tail, when dim % 32 == 16, still meet two-way conflicts: four rows per wavefront.)
 */
MG_GEOMETRY_FN int mg_mma_query_stride(int dim) { return dim + ((64 - (dim * 2) % 128 + 128) % 128) / 2; }

/* Where the staged queries start: after the lists and one filter index per query, rounded up for 16-byte loads. */
MG_GEOMETRY_FN int mg_mma_staged_offset(int queries, int k_pow2)
{
    return (mg_running_bytes(queries, k_pow2, MG_MMA_LIST_BUFFER) + queries * (int)sizeof(int) + 15) / 16 * 16;
}

/* Tensor-core kernels (`queries` per block): the lists, a filter index per query, then the block's queries in fp16. */
MG_GEOMETRY_FN int mg_mma_shared_bytes(int queries, int k_pow2, int dim)
{
    return mg_mma_staged_offset(queries, k_pow2) + queries * mg_mma_query_stride(dim) * 2;
}
MG_GEOMETRY_FN int mg_merge_shared_bytes(int k_pow2) { return mg_running_bytes(1, k_pow2, MG_MERGE_STEP); }

#endif /* MG_GEOMETRY_H */
