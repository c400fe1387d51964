#!/usr/bin/env bash
# Side-by-side CPU vector search benchmark: ours (exact + HNSW) vs FAISS IndexFlatIP, FAISS IndexHNSWFlat
# and hnswlib, on the same vectors and queries, 2 threads for everyone. Prints a markdown table
# (also saved to .data/bench/report.md). See docs/performance.md.
#
#   scripts/bench-vs-peers.sh [N_EXACT=1000000] [N_HNSW=200000]
#   env: NQ (queries, 1024), NQ1 (batch-1 queries timed, 50), NQ64_EXACT (batch-64 queries timed for the
#        exact indexes, 256), M (16), EFC (200), EFS (16,24,32,48,64,128), THREADS (2),
#        ONLY (space-separated subset of: ours-exact ours-int8 faiss-flat ours-hnsw hnswlib faiss-hnsw)
set -euo pipefail
N_EXACT=${1:-1000000}
N_HNSW=${2:-200000}
NQ=${NQ:-1024}; NQ1=${NQ1:-50}; NQ64_EXACT=${NQ64_EXACT:-256}
M=${M:-16}; EFC=${EFC:-200}; EFS=${EFS:-16,24,32,48,64,128}; THREADS=${THREADS:-2}
ONLY=${ONLY:-"ours-exact ours-int8 faiss-flat ours-hnsw hnswlib faiss-hnsw"}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=$ROOT/.data/bench
PY=/usr/bin/python3
PEERS="$PY $ROOT/scripts/bench_vs_peers.py"
want() { [[ " $ONLY " == *" $1 "* ]]; }

# 1. Peers from Debian, and OpenBLAS (pthread) instead of the slow reference BLAS, so FAISS runs at its best.
SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
if ! $PY -c 'import faiss, hnswlib, numpy' 2>/dev/null || [ ! -e /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3 ]; then
  $SUDO apt-get update
  $SUDO apt-get install -y python3-faiss python3-hnswlib python3-numpy libopenblas0-pthread
fi
$SUDO update-alternatives --set libblas.so.3-x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3
$SUDO update-alternatives --set liblapack.so.3-x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/openblas-pthread/liblapack.so.3
export OMP_NUM_THREADS=$THREADS OPENBLAS_NUM_THREADS=$THREADS

# 2. One data set for everyone (regenerated only when missing or too small).
mkdir -p "$DATA"
have=$($PY -c "import numpy as np; print(np.load('$DATA/base.npy', mmap_mode='r').shape[0])" 2>/dev/null || echo 0)
need=$(( N_EXACT > N_HNSW ? N_EXACT : N_HNSW ))
if [ "$have" -lt "$need" ]; then echo "generating $need base vectors + $NQ queries in $DATA"; $PEERS gen "$DATA" "$need" "$NQ"; fi
for n in "$N_EXACT" "$N_HNSW"; do [ -f "$DATA/gt-$n.npy" ] || { echo "ground truth for N=$n"; $PEERS gt "$DATA" "$n"; }; done

# Results of the contenders about to run are replaced; others (from an earlier ONLY= run) stay in the report.
for c in $ONLY; do rm -f "$DATA/${c/ours-int8/ours-exact-int8}.json"; done

# 3. Our harness, Release build.
dotnet build -c Release "$ROOT/tests/MediaGateway.Benchmarks" -v q -nologo >/dev/null
OURS="$ROOT/tests/MediaGateway.Benchmarks/bin/Release/net10.0/MediaGateway.Benchmarks"
COMMON=(--base "$DATA/base.npy" --queries "$DATA/queries.npy" --out "$DATA" --threads "$THREADS")

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
want ours-exact && "$OURS" exact "${COMMON[@]}" --n "$N_EXACT" --nq1 "$NQ1" --nq64 "$NQ64_EXACT"
want ours-int8 && "$OURS" exact "${COMMON[@]}" --n "$N_EXACT" --nq1 "$NQ1" --nq64 "$NQ64_EXACT" --storage int8
want faiss-flat && $PEERS peer "$DATA" faiss-flat "$N_EXACT" "$THREADS" "$M" "$EFC" 0 "$NQ1" "$NQ64_EXACT"
want ours-hnsw && "$OURS" hnsw "${COMMON[@]}" --n "$N_HNSW" --nq1 "$NQ" --m "$M" --efc "$EFC" --ef "$EFS"
want hnswlib && $PEERS peer "$DATA" hnswlib "$N_HNSW" "$THREADS" "$M" "$EFC" "$EFS" "$NQ" "$NQ"
want faiss-hnsw && $PEERS peer "$DATA" faiss-hnsw "$N_HNSW" "$THREADS" "$M" "$EFC" "$EFS" "$NQ" "$NQ"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

# 4. The table.
$PEERS report "$DATA" | tee "$DATA/report.md"
