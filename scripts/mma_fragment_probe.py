#!/usr/bin/env python3
"""Checks on the GPU that the tensor-core fragment layout the kernels assume is the hardware's.

native/include/mg_cuda_compat.h documents which elements of A (16x16), B (16x8) and D (16x8) each lane
holds for mma.sync m16n8k16, and native/topk_mma.cu loads its fragments that way (catalog rows as A,
query rows as B). The emulated device in the tests follows the same reading, so only hardware (or an
independent reference) can show that reading is right. This probe compiles a one-warp kernel that loads
fragments exactly as topk_mma.cu does, runs mg_mma_16816 from the real header, writes D by the documented
ownership, and compares with torch's A @ Q^T on small integers (exact in fp16 and fp32). A second kernel loads
48-dim rows the way topk_mma.cu really does (native/include/mg_mma_chunk.h: 16 bytes per lane per 32-dim chunk,
then an 8-byte 16-dim tail, the dims assigned to the MMA's k positions out of order on both sides). Both run
twice: as built for this GPU, and with MG_MMA_K8_ONLY=1, the path NVRTC builds for sm_75 (a T4), where each
m16n8k16 is two m16n8k8 (mg_cuda_compat.h) — so a newer GPU checks the T4's fragment handling too.
Needs CuPy and PyTorch with a CUDA device; prints one JSON line and exits 1 on any mismatch.
"""
import json
import os
import sys

import cupy as cp
import torch

INCLUDE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "native", "include")

SOURCE = r'''
#include "mg_mma_chunk.h"
/* catalog: 16 rows x 16 dims (A, row-major); queries: 8 rows x 16 dims (B as column-major); out: 16 x 8 fp32 */
extern "C" __global__ void probe(const mg_half* catalog, const mg_half* queries, float* out)
{
    int lane = (int)(mg_thread() & 31), g = lane >> 2, t = lane & 3;
    mg_u32 a[4], b[2];
    a[0] = mg_load_u32(catalog + g * 16 + 2 * t);
    a[1] = mg_load_u32(catalog + (g + 8) * 16 + 2 * t);
    a[2] = mg_load_u32(catalog + g * 16 + 2 * t + 8);
    a[3] = mg_load_u32(catalog + (g + 8) * 16 + 2 * t + 8);
    b[0] = mg_load_u32(queries + g * 16 + 2 * t);
    b[1] = mg_load_u32(queries + g * 16 + 2 * t + 8);
    float d[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    mg_mma_16816(d, a, b);
    out[g * 8 + 2 * t] = d[0];
    out[g * 8 + 2 * t + 1] = d[1];
    out[(g + 8) * 8 + 2 * t] = d[2];
    out[(g + 8) * 8 + 2 * t + 1] = d[3];
}

/* catalog: 16 rows x 48 dims; queries: 8 rows x 48 dims; loaded as topk_mma.cu loads them */
extern "C" __global__ void probe_chunks(const mg_half* catalog, const mg_half* queries, float* out)
{
    int lane = (int)(mg_thread() & 31), g = lane >> 2, t = lane & 3;
    mg_u32 lo[4], hi[4], q[4], tail_lo[2], tail_hi[2], tail_q[2];
    mg_load_u32x4(catalog + g * 48 + 8 * t, lo);
    mg_load_u32x4(catalog + (g + 8) * 48 + 8 * t, hi);
    mg_load_u32x4(queries + g * 48 + 8 * t, q);
    mg_load_u32x2(catalog + g * 48 + 32 + 4 * t, tail_lo);
    mg_load_u32x2(catalog + (g + 8) * 48 + 32 + 4 * t, tail_hi);
    mg_load_u32x2(queries + g * 48 + 32 + 4 * t, tail_q);
    float d[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    mg_mma_chunk32(d, lo, hi, q);
    mg_mma_chunk16(d, tail_lo, tail_hi, tail_q);
    out[g * 8 + 2 * t] = d[0];
    out[g * 8 + 2 * t + 1] = d[1];
    out[(g + 8) * 8 + 2 * t] = d[2];
    out[(g + 8) * 8 + 2 * t + 1] = d[3];
}
'''


def main():
    options = ("-std=c++17", f"-I{os.path.abspath(INCLUDE)}")
    modules = {"m16n8k16": cp.RawModule(code=SOURCE, options=options, backend="nvrtc"),
               "m16n8k8 pairs": cp.RawModule(code=SOURCE, options=options + ("-DMG_MMA_K8_ONLY=1",), backend="nvrtc")}
    generator = torch.Generator().manual_seed(11)
    failures = []
    trials = 20
    for (path, module), (name, dims) in ((m, k) for m in modules.items() for k in (("probe", 16), ("probe_chunks", 48))):
        probe = module.get_function(name)
        for trial in range(trials):
            # Distinct small integers everywhere, so a swapped or misplaced element cannot go unnoticed.
            catalog = torch.randint(-4, 5, (16, dims), generator=generator).to(torch.float16)
            queries = torch.randint(-4, 5, (8, dims), generator=generator).to(torch.float16)
            expected = catalog.float() @ queries.float().T
            c, q = cp.asarray(catalog.numpy()), cp.asarray(queries.numpy())
            out = cp.full((16, 8), cp.nan, dtype=cp.float32)
            probe((1,), (32,), (c, q, out))
            cp.cuda.runtime.deviceSynchronize()
            actual = torch.from_numpy(cp.asnumpy(out))
            if not torch.equal(actual, expected):
                wrong = (actual != expected).nonzero().tolist()
                failures.append({"path": path, "kernel": name, "trial": trial, "wrong_elements": len(wrong), "first": wrong[:4]})
    print(json.dumps({"kind": "mma-fragment-probe", "instruction": "mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32", "paths": list(modules),
                      "device": torch.cuda.get_device_name(0), "trials": 4 * trials, "ok": not failures, "failures": failures[:3]}))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
