#!/usr/bin/env python3
"""PyTorch baseline for scripts/device-check.sh: torch.matmul + torch.topk on the same fp16 data the
C# benchmark dumped (raw little-endian fp16, row-major). Prints one JSON line per (rows, batch, k).

With the C# benchmark's results beside the data (ours-ROWS-BATCH-K.ids/.scores), it also checks them
against torch in fp32 on the same fp16 catalog ("torch-parity" lines): every score within 2e-3 of torch's
at the same rank, and every id either in torch's top k or tied (within 2e-3) with its k-th score.

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


def parity(catalog, queries, k, prefix):
    """Ours against torch fp32 on the same fp16 inputs; None when the C# side wrote no results."""
    if not os.path.exists(prefix + ".ids"):
        return None
    ids = torch.from_numpy(np.fromfile(prefix + ".ids", dtype=np.int32).astype(np.int64)).view(queries.shape[0], -1).to(catalog.device)
    scores = torch.from_numpy(np.fromfile(prefix + ".scores", dtype=np.float32)).view(queries.shape[0], -1).to(catalog.device)
    tolerance, worst_score, strangers = 2e-3, 0.0, 0
    catalog_f32 = catalog.float()
    for start in range(0, queries.shape[0], 64):
        exact = torch.matmul(queries[start:start + 64].float(), catalog_f32.T)
        best, _ = torch.topk(exact, k, dim=1)
        mine, my_ids = scores[start:start + 64], ids[start:start + 64]
        worst_score = max(worst_score, (mine - best).abs().max().item())
        # An id outside torch's top k must score (in fp32) within tolerance of torch's k-th.
        true_scores = torch.gather(exact, 1, my_ids)
        strangers += int((true_scores < best[:, -1:] - tolerance).sum().item())
    del catalog_f32
    return {"worst_score_difference": round(worst_score, 7), "ids_not_tied": strangers,
            "ok": worst_score <= tolerance and strangers == 0}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--rows", default="1000000,5000000")
    parser.add_argument("--batches", default="1,64,1024")
    parser.add_argument("--k", default="10,100")
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    torch.backends.cuda.matmul.allow_tf32 = False  # the parity reference must be true fp32
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
                check = parity(catalog, queries, k, os.path.join(args.data, f"ours-{rows}-{batch}-{k}"))
                if check is not None:
                    print(json.dumps({"kind": "torch-parity", "rows": rows, "batch": batch, "k": k, **check}), flush=True)
            del queries
        del catalog
        torch.cuda.empty_cache()
    return 0


if __name__ == "__main__":
    sys.exit(main())
