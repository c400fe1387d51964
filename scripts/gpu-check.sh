#!/usr/bin/env bash
# The GPU check: run on a machine with an NVIDIA GPU, its driver, the CUDA toolkit's NVRTC, the .NET 10
# SDK and (for the comparison) Python with PyTorch. It
#   1. compiles the kernels to PTX with clang when one is installed (the CI gate, repeated here);
#   2. runs the GPU-free test suite;
#   3. runs parity: GPU top-k ids equal the CPU backend's up to ties, scores within 1e-3 relative,
#      re-rank scores within 1e-6 (exits non-zero on any difference);
#   4. benchmarks our kernels and torch.matmul + torch.topk on the same fp16 data at
#      N = 1M and 10M, d = 384, batch 1, 64, 1024, k = 10 and 100, and prints a comparison table.
# Environment: ROWS, BATCHES, KS, REPEAT override the benchmark grid; DATA_DIR holds the dumped data
# (default: a temp dir, ~8 GB for 10M rows); SKIP_TORCH=1 skips the PyTorch side.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
ROWS="${ROWS:-1000000,10000000}"
BATCHES="${BATCHES:-1,64,1024}"
KS="${KS:-10,100}"
REPEAT="${REPEAT:-5}"
DATA_DIR="${DATA_DIR:-$(mktemp -d)}"
RESULTS="${RESULTS:-$(mktemp -d)/gpu-check-results}"
mkdir -p "$RESULTS"

echo "== machine"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.memory --format=csv || { echo "gpu-check: nvidia-smi failed: no NVIDIA GPU or driver" >&2; exit 2; }
dotnet --version

echo "== ptx-check"
if command -v clang-19 >/dev/null || command -v clang-14 >/dev/null || command -v clang >/dev/null; then
  bash scripts/ptx-check.sh
else
  echo "(no clang; skipped — CI runs it)"
fi

echo "== tests (no GPU needed, but run here too)"
dotnet test tests/MediaGateway.Gpu.Tests -c Release

echo "== build the benchmark driver"
dotnet build tests/MediaGateway.Gpu.Bench -c Release -o "$RESULTS/bench-bin"
bench="$RESULTS/bench-bin/MediaGateway.Gpu.Bench"

echo "== parity (GPU vs CPU backend)"
"$bench" parity | tee "$RESULTS/parity.txt"

echo "== benchmark: ours"
"$bench" bench --rows "$ROWS" --batches "$BATCHES" --k "$KS" --repeat "$REPEAT" --dump "$DATA_DIR" | tee "$RESULTS/ours.jsonl"

if [[ "${SKIP_TORCH:-0}" != "1" ]]; then
  echo "== benchmark: torch.matmul + torch.topk"
  python3 scripts/torch_bench.py --data "$DATA_DIR" --rows "$ROWS" --batches "$BATCHES" --k "$KS" --repeat "$REPEAT" | tee "$RESULTS/torch.jsonl"
fi

echo "== comparison"
python3 - "$RESULTS/ours.jsonl" "$RESULTS/torch.jsonl" <<'PY'
import json, os, sys
ours = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
torch = [json.loads(l) for l in open(sys.argv[2]) if l.strip()] if os.path.exists(sys.argv[2]) else []
device = next(r for r in ours if r["kind"] == "device")
print(f"{device['name']} ({device['arch']}, {device['sms']} SMs): DRAM peak {device['peak_bandwidth_gbps']} GB/s, "
      f"measured device-to-device copy {device['copy_bandwidth_gbps']} GB/s")
key = lambda r: (r["rows"], r["batch"], r["k"])
theirs = {key(r): r for r in torch if r["kind"] == "torch"}
print(f"{'rows':>9} {'batch':>5} {'k':>4} {'path':>6} {'ours ms':>9} {'GB/s':>7} {'%copy':>6} {'TFLOP/s':>8} {'torch ms':>9} {'torch/ours':>10}")
for r in (r for r in ours if r["kind"] == "ours"):
    t = theirs.get(key(r))
    ratio = f"{t['ms'] / r['ms']:.2f}x" if t else "-"
    print(f"{r['rows']:>9} {r['batch']:>5} {r['k']:>4} {r['path']:>6} {r['ms']:>9.3f} {r['catalog_gbps']:>7.0f} "
          f"{100 * r['fraction_of_copy_bandwidth']:>5.0f}% {r['tflops']:>8.2f} {(t['ms'] if t else float('nan')):>9.3f} {ratio:>10}")
print("torch/ours > 1 means ours is faster. Batch 1 is memory-bound: compare GB/s with the copy bandwidth;"
      " large batches are compute-bound: compare TFLOP/s with the GPU's dense fp16 tensor peak.")
PY
echo "results in $RESULTS"
