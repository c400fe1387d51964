#!/usr/bin/env bash
# The GPU check, in one call on a GPU machine that has no .NET (the H200 lent to some sessions: NVIDIA driver,
# CUDA 13, Python with PyTorch and CuPy). Three modes:
#
#   scripts/device-check.sh build      here (needs the .NET SDK): publishes the benchmark driver as a NativeAOT
#                                      binary into .device-check/bin (ignored by git; carry it to the GPU machine)
#   scripts/device-check.sh run        on the GPU machine: every step below, each bounded, results under $OUT
#   scripts/device-check.sh emulated   here and in CI: build, then `run` against the emulated driver
#                                      (tests/MediaGateway.Gpu.Tests/native/fake_cuda.cpp) at small sizes, so no
#                                      GPU minute is ever spent on a broken script
#
# `run` steps: (1) the machine: GPU, driver, CUDA, torch; (2) parity: the C# CUDA backend through the AOT driver
# against the CPU backend (NVRTC compiles every kernel with the backend's own options on the way, and the CUBINs
# are kept); (3) the tensor-core fragment probe against torch; (4) timings of our kernels at ROWS x 384, batch
# 1/64/1024, k 10/100/1000 (where the 64-query tensor-core kernel runs, the 32-query one too), with the
# device-to-device copy bandwidth, and (5) torch.matmul + torch.topk on the same
# device data, which also checks our results against torch fp32; the time per stage (upload, scan, merge,
# download) from CUDA events; (6) kernel variants (VARIANTS, macros the kernels are compiled with), each timed right
# after the default kernels on its own grid; (7) registers, spills and shared memory per kernel from cuobjdump (the
# variants' too); (8) the comparison tables. A failed step is reported and the next still runs; the exit status is
# non-zero when any check failed.
# Files under $OUT (at most 8 come back): device-check.log (everything), ours.jsonl, torch.jsonl, variant-default.jsonl and
# variant.jsonl (the variant step's runs, each pair opened by a {"kind":"pair","variant":…} line in both), resources.txt.
# Environment: ROWS, BATCHES, KS, REPEAT (benchmark grid), PARITY_ARGS, DIM, BIN (the driver), OUT, BUDGET_S (seconds
# for the whole run, default 450: every step's limit is cut to what is left), VARIANTS (space-separated, each
# NAME=VALUE[,..]; empty: none), VARIANT_ROWS, VARIANT_BATCHES, VARIANT_KS (their grid: 5M rows, batches 64 and
# 1024, k 10 and 100), VARIANT_LIBRARY_DIRS (the emulated run's: one LD_LIBRARY_PATH per variant, in the same order).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mode="${1:-run}"
BIN="${BIN:-$root/.device-check/bin/MediaGateway.Gpu.Bench}"

build() {
  echo "== build: NativeAOT benchmark driver -> .device-check/bin"
  dotnet publish tests/MediaGateway.Gpu.Bench -c Release -r linux-x64 -o .device-check/bin -p:DebugType=none -p:DebugSymbols=false \
    || { echo "device-check: the AOT publish failed" >&2; return 1; }
  # The driver is all that travels: the runtime's other native files (ONNX Runtime) are not used by it.
  find .device-check/bin -type f ! -name MediaGateway.Gpu.Bench -delete
  ls -l "$BIN"
}

run() {
  OUT="${OUT:-$(mktemp -d)}"
  mkdir -p "$OUT"
  exec > >(tee "$OUT/device-check.log") 2>&1
  local work; work="$(mktemp -d)"
  export MEDIAGATEWAY_CUDA_CACHE="$work/cubin"
  local failed=()
  step() { echo; echo "== $1 ($(date -u +%H:%M:%S))"; }
  # The whole run ends within BUDGET_S seconds (8 minutes less a margin): each step gets its own limit or what is
  # left of the budget, whichever is less, so a slow step shortens the later ones instead of overrunning.
  local deadline=$((SECONDS + ${BUDGET_S:-450}))
  limit() { local left=$((deadline - SECONDS)); if ((left < $1)); then echo $((left > 5 ? left : 5)); else echo "$1"; fi; }

  step "machine"
  date -u +"date: %Y-%m-%d %H:%M UTC"
  if [[ -z "${EMULATED:-}" ]]; then
    nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm,clocks.max.memory --format=csv || failed+=(nvidia-smi)
    command -v nvcc >/dev/null && nvcc --version | tail -n 2
  else
    echo "emulated driver: $LD_LIBRARY_PATH (kernels run on CPU threads; timings mean nothing)"
  fi
  python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)' 2>/dev/null || echo "torch: not available (its steps are skipped)"
  [[ -x "$BIN" ]] || { echo "device-check: $BIN missing: run 'scripts/device-check.sh build' first (and carry .device-check)" >&2; exit 2; }

  step "parity: C# CUDA backend (AOT driver) vs CPU backend"
  # shellcheck disable=SC2086
  timeout "$(limit 240)" "$BIN" parity ${PARITY_ARGS:-} || failed+=(parity)

  if python3 -c 'import cupy, torch; assert torch.cuda.is_available()' 2>/dev/null; then
    step "tensor-core fragment probe vs torch"
    timeout "$(limit 120)" python3 scripts/mma_fragment_probe.py || failed+=(fragment-probe)
  else
    step "tensor-core fragment probe: skipped (no CuPy/torch with a CUDA device)"
  fi

  step "benchmark: ours"
  timeout "$(limit 300)" "$BIN" bench --rows "${ROWS:-1000000,5000000,10000000}" --batches "${BATCHES:-1,64,1024}" --k "${KS:-10,100,1000}" \
    --dim "${DIM:-384}" --repeat "${REPEAT:-5}" --copy-mib "${COPY_MIB:-1024}" --dump "$work/data" | tee "$OUT/ours.jsonl" || failed+=(bench)

  if python3 -c 'import torch; assert torch.cuda.is_available()' 2>/dev/null; then
    step "benchmark: torch.matmul + torch.topk on the same data, and our results against torch fp32"
    timeout "$(limit 300)" python3 scripts/torch_bench.py --data "$work/data" --rows "${ROWS:-1000000,5000000,10000000}" --batches "${BATCHES:-1,64,1024}" \
      --k "${KS:-10,100,1000}" --dim "${DIM:-384}" --repeat "${REPEAT:-5}" | tee "$OUT/torch.jsonl" || failed+=(torch)
    grep -q '"kind": "torch-parity".*"ok": false' "$OUT/torch.jsonl" && failed+=(torch-parity)
  else
    step "benchmark: torch skipped (no torch with a CUDA device)"
  fi

  # Kernel variants against the defaults: the kernels compiled with each variant's macros, timed on the batches they
  # change right after the default kernels on the same grid (back to back, so the device's state is alike for both), so
  # one run says which to make the default. By default: the tensor-core kernels' catalog loads two 32-dim chunks ahead
  # of the MMAs instead of one (MG_MMA_PREFETCH=2), each warp on two 16-row tiles per sub-tile so each query fragment
  # read from shared memory feeds twice the MMAs (MG_MMA_ROW_TILES=2), and both. VARIANTS= (empty) skips them.
  local variants=(${VARIANTS-MG_MMA_PREFETCH=2 MG_MMA_ROW_TILES=2 MG_MMA_PREFETCH=2,MG_MMA_ROW_TILES=2})
  local library_dirs=(${VARIANT_LIBRARY_DIRS:-}) labels=""
  : > "$OUT/variant-default.jsonl"; : > "$OUT/variant.jsonl"
  if ((${#variants[@]})); then
    local grid=(--rows "${VARIANT_ROWS:-5000000}" --batches "${VARIANT_BATCHES:-64,1024}" --k "${VARIANT_KS:-10,100}" --dim "${DIM:-384}"
      --repeat "${REPEAT:-5}" --copy-mib "${COPY_MIB:-1024}")
    local i
    for i in "${!variants[@]}"; do
      step "benchmark: kernel variant ${variants[$i]} against the default kernels, back to back"
      # A marker opens the pair in both files, so a run that fails before it prints anything cannot shift the pairing.
      printf '{"kind":"pair","variant":"%s"}\n' "${variants[$i]}" | tee -a "$OUT/variant-default.jsonl" >> "$OUT/variant.jsonl"
      timeout "$(limit 90)" "$BIN" bench "${grid[@]}" | tee -a "$OUT/variant-default.jsonl" || failed+=("variant-default(${variants[$i]})")
      local before; before="$(ls "$MEDIAGATEWAY_CUDA_CACHE")"
      env ${library_dirs[$i]:+LD_LIBRARY_PATH="${library_dirs[$i]}"} timeout "$(limit 90)" "$BIN" bench --define "${variants[$i]}" "${grid[@]}" \
        | tee -a "$OUT/variant.jsonl" || failed+=("variant(${variants[$i]})")
      # The images this variant's run added (the file names carry only a hash), for the resource listing's labels.
      labels+="$(comm -13 <(sort <<<"$before") <(ls "$MEDIAGATEWAY_CUDA_CACHE" | sort) | sed "s|\$| ${variants[$i]}|")"$'\n'
    done
  fi

  step "kernel resources (cuobjdump -res-usage on the CUBINs NVRTC built)"
  label() { local variant; variant="$(awk -v image="$1" '$1 == image { print $2 }' <<<"$labels")"; [[ -n "$variant" ]] && echo " (variant $variant)"; }
  if command -v cuobjdump >/dev/null; then
    for cubin in "$MEDIAGATEWAY_CUDA_CACHE"/*.cubin; do
      echo "-- $(basename "$cubin")$(label "$(basename "$cubin")")"
      cuobjdump -res-usage "$cubin" | grep -E "Function|REG|STACK|SHARED|LOCAL" || true
    done | tee "$OUT/resources.txt"
  else
    for image in $(ls "$MEDIAGATEWAY_CUDA_CACHE"); do echo "$image$(label "$image")"; done | tee "$OUT/resources.txt"
    echo "(no cuobjdump here: listed the compiled images only)"
  fi

  step "comparison"
  python3 - "$OUT/ours.jsonl" "$OUT/torch.jsonl" "$OUT/variant-default.jsonl" "$OUT/variant.jsonl" <<'PY' || failed+=(comparison)
import json, os, sys
read = lambda p: [json.loads(l) for l in open(p) if l.strip().startswith("{")] if os.path.exists(p) else []
ours, torch, variant_default, variant = (read(p) for p in sys.argv[1:5])
device = next(r for r in ours if r["kind"] == "device")
print(f"{device['name']} ({device['arch']}, {device['sms']} SMs): DRAM peak {device['peak_bandwidth_gbps']} GB/s, "
      f"measured device-to-device copy {device['copy_bandwidth_gbps']} GB/s")
key = lambda r: (r["rows"], r["batch"], r["k"])
theirs = {key(r): r for r in torch if r["kind"] == "torch"}
checks = {key(r): r for r in torch if r["kind"] == "torch-parity"}
print(f"{'rows':>9} {'batch':>5} {'k':>4} {'path':>15} {'ours ms':>9} {'GB/s':>7} {'%copy':>6} {'TFLOP/s':>8} {'torch ms':>9} {'torch/ours':>10} {'vs fp32':>8}"
      f" {'scan ms':>8} {'scan%copy':>9} {'merge ms':>8} {'copies ms':>9}")
for r in (r for r in ours if r["kind"] == "ours"):
    t, c = theirs.get(key(r)), checks.get(key(r))
    ratio = f"{t['ms'] / r['ms']:.2f}x" if t else "-"
    check = "-" if c is None else ("ok" if c["ok"] else "FAIL")
    scan_copy = r["rows"] * r["dim"] * 2 / (r["scan_ms"] * 1e6) / device["copy_bandwidth_gbps"] if r.get("scan_ms") else float("nan")
    path = r["path"] if r.get("planned", True) else r["path"] + " (not used)"
    print(f"{r['rows']:>9} {r['batch']:>5} {r['k']:>4} {path:>15} {r['ms']:>9.3f} {r['catalog_gbps']:>7.0f} "
          f"{100 * r['fraction_of_copy_bandwidth']:>5.0f}% {r['tflops']:>8.2f} {(t['ms'] if t else float('nan')):>9.3f} {ratio:>10} {check:>8}"
          f" {r.get('scan_ms', float('nan')):>8.3f} {100 * scan_copy:>8.0f}% {r.get('merge_ms', float('nan')):>8.3f}"
          f" {r.get('upload_ms', 0) + r.get('download_ms', 0):>9.3f}")
print("torch/ours > 1 means ours is faster. Both times are end to end: queries from the host, results back on the host.")
print("Where the 64-query tensor-core kernel (mma-large) can take a batch, the 32-query one (mma) is timed too; \"(not used)\"")
print("marks the one the tuning at load did not choose for this catalog (see the benchmark's load lines).")
print("Batch 1 is memory-bound: compare GB/s with the copy bandwidth; large batches are compute-bound.")
print("scan/merge/copies: the same searches again with CUDA events between the stages (medians); scan%copy is the scan")
print("kernel alone reading the catalog, against the copy bandwidth; copies = query upload + result download.")
def pairs(records):
    """The runs after each pair marker, by variant: the default kernels' in one file, the variant's in the other."""
    runs, current = {}, None
    for r in records:
        if r["kind"] == "pair": current = runs.setdefault(r["variant"], [])
        elif current is not None and r["kind"] == "ours": current.append(r)
    return runs
defaults, variants = pairs(variant_default), pairs(variant)
problems = []
for name in variants:
    base = {key(r) + (r["path"],): r for r in defaults.get(name, [])}
    rows = variants[name]
    print()
    print(f"Kernel variant {name} against the default kernels, timed back to back (default/variant > 1: the variant is faster):")
    print(f"{'rows':>9} {'batch':>5} {'k':>4} {'path':>15} {'default ms':>10} {'variant ms':>10} {'ratio':>6} {'scan ms':>8} {'variant':>8} {'ratio':>6}")
    unmatched = [r for r in rows if key(r) + (r["path"],) not in base]
    for r in rows:
        b = base.get(key(r) + (r["path"],))
        if b is None: continue
        print(f"{r['rows']:>9} {r['batch']:>5} {r['k']:>4} {r['path']:>15} {b['ms']:>10.3f} {r['ms']:>10.3f} {b['ms'] / r['ms']:>5.2f}x"
              f" {b['scan_ms']:>8.3f} {r['scan_ms']:>8.3f} {b['scan_ms'] / r['scan_ms']:>5.2f}x")
    if not rows or unmatched:
        problems.append(f"variant {name}: {len(rows)} case(s), {len(unmatched)} without a default run to compare with")
if problems:
    sys.exit("variant comparison: " + "; ".join(problems))
PY

  rm -rf "$work"
  echo
  if ((${#failed[@]})); then echo "device-check: FAILED: ${failed[*]}"; return 1; fi
  echo "device-check: all checks passed"
}

emulated() {
  build || return 1
  local fake variants=(MG_MMA_ROW_TILES=2 MG_MMA_PREFETCH=2,MG_MMA_ROW_TILES=2) variant_dirs=() variant
  fake="$(mktemp -d)"
  bash tests/MediaGateway.Gpu.Tests/native/build-fake-cuda.sh "$fake" || return 1
  # The variant steps' kernels: the emulator runs the kernels compiled into it, so each variant needs its own build.
  for variant in "${variants[@]}"; do
    local macros; IFS=, read -ra macros <<<"$variant"
    variant_dirs+=("$(mktemp -d)")
    bash tests/MediaGateway.Gpu.Tests/native/build-fake-cuda.sh "${variant_dirs[-1]}" "${macros[@]}" || return 1
  done
  # Small sizes: the emulator runs every CUDA thread as a CPU thread. Parity: batch 17 takes the 32-query tensor-core
  # kernel, with k = 129 the wide-list one. Timings: batch 64 the 64-query kernel, timed beside the 32-query one. Two
  # variants (one of two macros) prove the variant list; each alone is parity-checked by EmulatedGpuTests.
  local out="${OUT:-$(mktemp -d)}"
  OUT="$out" EMULATED=1 LD_LIBRARY_PATH="$fake" ROWS=300 BATCHES=1,64 KS=10,129 DIM=32 REPEAT=1 COPY_MIB=16 \
    PARITY_ARGS="--rows 300 --dim 32 --batches 1,17 --k 10,129" VARIANTS="${variants[*]}" VARIANT_LIBRARY_DIRS="${variant_dirs[*]}" \
    VARIANT_ROWS=300 VARIANT_BATCHES=64 VARIANT_KS=10 run
  local status=$?
  # Every timed case came back with its scan time from CUDA events (the stage breakdown works).
  python3 -c 'import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if "\"kind\":\"ours\"" in l]
sys.exit(0 if rows and all(r["scan_ms"] > 0 for r in rows) else "device-check: a timed case has no scan time")' "$out/ours.jsonl" \
    || status=1
  # Where the planner took the 64-query kernel, the 32-query one was timed on the same batch too.
  grep -q '"batch":64,"k":10,.*"path":"mma-large"' "$out/ours.jsonl" && grep -q '"batch":64,"k":10,.*"path":"mma"' "$out/ours.jsonl" \
    || { echo "device-check: batch 64 was not timed on both the 64- and the 32-query kernel" >&2; status=1; }
  # Each variant and the default kernels were timed on the batch the variants change (the comparison step, which fails
  # on a variant case without its default, has already run), and the resource listing names each variant's images.
  for variant in "${variants[@]}"; do
    grep -q "\"defines\":\"${variant//,/ }\"" "$out/variant.jsonl" && grep -q "(variant $variant)" "$out/resources.txt" \
      || { echo "device-check: the kernel variant $variant was not timed or not listed" >&2; status=1; }
  done
  [[ "$(grep -c '"batch":64,"k":10,.*"path":"mma-large"' "$out/variant.jsonl")" == "${#variants[@]}" \
    && "$(grep -c '"batch":64,"k":10,.*"path":"mma-large"' "$out/variant-default.jsonl")" == "${#variants[@]}" ]] \
    || { echo "device-check: not every kernel variant was timed beside the default kernels" >&2; status=1; }
  rm -rf "$fake" "${variant_dirs[@]}"
  return $status
}

case "$mode" in
  build) build ;;
  run) run ;;
  emulated) emulated ;;
  *) echo "usage: scripts/device-check.sh build | run | emulated" >&2; exit 2 ;;
esac
