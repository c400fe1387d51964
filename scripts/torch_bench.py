#!/usr/bin/env python3
"""PyTorch baseline for scripts/gpu-check.sh: torch.matmul + torch.topk on the same fp16 data the
C# benchmark dumped (raw little-endian fp16, row-major). Prints one JSON line per (rows, batch, k).

The baseline materialises the full batch x rows score matrix (fp16) and selects from it; that is the
work our fused kernels avoid. At rows = 10M and batch = 1024 the matrix is 20 GB, which an 80 GB or
larger GPU holds; on a smaller GPU the script splits the catalog and merges, and says so.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch


def load(path, dim):
    data = np.fromfile(path, dtype=np.float16)
    return torch.from_numpy(data.reshape(-1, dim))


def search(catalog, queries, k, chunk_rows):
    if chunk_rows >= catalog.shape[0]:
        scores = torch.matmul(queries, catalog.T)
        return torch.topk(scores, k, dim=1)
    best_values, best_indices = [], []
    for start in range(0, catalog.shape[0], chunk_rows):
        scores = torch.matmul(queries, catalog[start:start + chunk_rows].T)
        values, indices = torch.topk(scores, min(k, scores.shape[1]), dim=1)
        best_values.append(values)
        best_indices.append(indices + start)
    values, order = torch.topk(torch.cat(best_values, dim=1), k, dim=1)
    return values, torch.gather(torch.cat(best_indices, dim=1), 1, order)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--rows", default="1000000,10000000")
    parser.add_argument("--batches", default="1,64,1024")
    parser.add_argument("--k", default="10,100")
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not torch.cuda.is_available():
        print("torch_bench: torch sees no CUDA device", file=sys.stderr)
        return 2
    device = torch.device("cuda")
    print(json.dumps({"kind": "torch-device", "name": torch.cuda.get_device_name(0), "torch": torch.__version__}))
    for rows in [int(r) for r in args.rows.split(",")]:
        catalog = load(os.path.join(args.data, f"catalog-{rows}x{args.dim}.f16"), args.dim).to(device)
        for batch in [int(b) for b in args.batches.split(",")]:
            queries = load(os.path.join(args.data, f"queries-{batch}x{args.dim}.f16"), args.dim).to(device)
            free, _ = torch.cuda.mem_get_info()
            # Score matrix (fp16) plus topk's working space; keep it under half of what is free.
            chunk_rows = max(1, min(rows, int(free // 2 // (batch * 2 * 3))))
            for k in [int(x) for x in args.k.split(",")]:
                search(catalog, queries, k, chunk_rows)  # warm-up (cuBLAS heuristics, allocator)
                torch.cuda.synchronize()
                times = []
                for _ in range(args.repeat):
                    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
                    start.record()
                    values, indices = search(catalog, queries, k, chunk_rows)
                    # Same end point as ours: results on the host.
                    indices.cpu()
                    end.record()
                    torch.cuda.synchronize()
                    times.append(start.elapsed_time(end))
                ms = sorted(times)[len(times) // 2]
                print(json.dumps({
                    "kind": "torch", "rows": rows, "dim": args.dim, "batch": batch, "k": k, "ms": round(ms, 3),
                    "chunked": chunk_rows < rows,
                    "tflops": round(2.0 * rows * args.dim * batch / (ms * 1e9), 2),
                }), flush=True)
            del queries
        del catalog
        torch.cuda.empty_cache()
    return 0


if __name__ == "__main__":
    sys.exit(main())
