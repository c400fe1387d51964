/*
 * Catalog rows x queries on the tensor cores, a 32-dim chunk at a time, each lane loading 16 contiguous bytes.
 *
 * mma.sync m16n8k16 wants lane (g = lane / 4, t = lane % 4) to hold A[g][k] and A[g+8][k] and B[k][g] for
 * k = 2t, 2t+1, 2t+8, 2t+9 (mg_cuda_compat.h), which read straight from memory is four 4-byte loads per row
 * per 16 dims. But a dot product does not care in which order its dims are summed: any assignment of a
 * chunk's dims to the MMA's k positions gives the same sum, as long as A and B use the same one. Here lane t
 * takes dims 8t..8t+7 of the chunk — one 16-byte load of its catalog row and one of its query — and feeds
 * dims 8t..8t+3 to the first MMA as its k = 2t, 2t+1, 2t+8, 2t+9, and dims 8t+4..8t+7 to the second. The
 * four lanes t = 0..3 of a row cover its 32 dims once. A 16-dim tail (dim % 32 == 16) goes the same way with
 * 8-byte loads: lane t takes dims 4t..4t+3.
 *
 * The fragment probe on hardware (scripts/mma_fragment_probe.py) and the layout harness
 * (tests/MediaGateway.Gpu.Tests/native/mma_layout_harness.cpp, against the PTX ISA's tables) check this
 * assignment end to end.
 */
#ifndef MG_MMA_CHUNK_H
#define MG_MMA_CHUNK_H

#include "mg_cuda_compat.h"

/*
 * d += rows x query over one 32-dim chunk. row_lo: dims 8t..8t+7 of the lane's row g, row_hi: of row g + 8,
 * query: of the lane's query g (each 16 bytes, low dim first).
 */
MG_DEV void mg_mma_chunk32(float d[4], const mg_u32 row_lo[4], const mg_u32 row_hi[4], const mg_u32 query[4])
{
    mg_u32 a[4] = {row_lo[0], row_hi[0], row_lo[1], row_hi[1]};
    mg_u32 b[2] = {query[0], query[1]};
    mg_mma_16816(d, a, b);
    mg_u32 a2[4] = {row_lo[2], row_hi[2], row_lo[3], row_hi[3]};
    mg_u32 b2[2] = {query[2], query[3]};
    mg_mma_16816(d, a2, b2);
}

/* The same over a 16-dim tail: each argument holds dims 4t..4t+3 (8 bytes). */
MG_DEV void mg_mma_chunk16(float d[4], const mg_u32 row_lo[2], const mg_u32 row_hi[2], const mg_u32 query[2])
{
    mg_u32 a[4] = {row_lo[0], row_hi[0], row_lo[1], row_hi[1]};
    mg_u32 b[2] = {query[0], query[1]};
    mg_mma_16816(d, a, b);
}

#endif /* MG_MMA_CHUNK_H */
