#!/usr/bin/env bash
# Side-by-side CPU vector search benchmark: ours (exact + HNSW) vs FAISS IndexFlatIP, FAISS IndexHNSWFlat
# and hnswlib, on the same vectors and queries, 2 threads for everyone. Prints a markdown table
# (also saved to .data/bench/report.md). See docs/performance.md.
#
#   scripts/bench-vs-peers.sh [N_EXACT=1000000] [N_HNSW=200000]
#   env: BENCH_DATA (folder, default .data/bench), SKIP_SYNTHETIC=1 / SKIP_CATALOG=1 to run one of the two data sets; NQ (queries, 1024), NQ1 (batch-1 queries timed, 50), NQ64_EXACT (batch-64 queries timed for the
#        exact indexes, 256), REPEAT (timed passes per measurement, best kept: 3), M (16), EFC (200), UPPER_EF (ours only: beam on the upper layers while inserting, 32; 1 is the greedy descent hnswlib uses), UPPER_EF_SEARCH (ours only: the same while searching, default HnswOptions' 12), EFS (16,24,32,48,64,128), THREADS (2),
#        ONLY (space-separated subset of: ours-exact ours-int8 faiss-flat ours-hnsw ours-hnsw-fp16 hnswlib faiss-hnsw),
#        MMAP=1 (every contender reads base.npy through a read-only memory mapping instead of an anonymous copy: millions of rows),
#        SAVELOAD=1 (graphs are saved to a file and loaded back, timed), OURS_BIN (our harness, already built, instead of building it),
#        KEEP_INDEX=1 (ours-hnsw-fp16 and hnswlib keep their graphs in the data folder with their build figures, and a later run
#        with the same M, EFC, UPPER_EF and N loads them instead of building: widen EFS without another hour of building)
#   Millions (docs/performance.md, "Millions"): MMAP=1 SAVELOAD=1 EFC=100 EFS=16,32,64,128,256,512 ONLY="ours-hnsw-fp16 hnswlib" SKIP_CATALOG=1 \
#        BENCH_DATA=.data/bench-5m scripts/bench-vs-peers.sh 5000000 5000000
set -euo pipefail
N_EXACT=${1:-1000000}
N_HNSW=${2:-200000}
NQ=${NQ:-1024}; NQ1=${NQ1:-50}; NQ64_EXACT=${NQ64_EXACT:-256}
export REPEAT=${REPEAT:-3} MMAP=${MMAP:-0} SAVELOAD=${SAVELOAD:-0} KEEP_INDEX=${KEEP_INDEX:-0}
M=${M:-16}; EFC=${EFC:-200}; UPPER_EF=${UPPER_EF:-32}; UPPER_EF_SEARCH=${UPPER_EF_SEARCH:-12}; EFS=${EFS:-16,24,32,48,64,128}; THREADS=${THREADS:-2}
ONLY=${ONLY:-"ours-exact ours-int8 faiss-flat ours-hnsw hnswlib faiss-hnsw"}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${BENCH_DATA:-$ROOT/.data/bench}
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

# 3. Our harness, Release build (OURS_BIN: an already built copy, so a long run survives rebuilds of the tree).
if [ -n "${OURS_BIN:-}" ]; then OURS=$OURS_BIN; else
  dotnet build -c Release "$ROOT/tests/MediaGateway.Benchmarks" -v q -nologo >/dev/null
  OURS="$ROOT/tests/MediaGateway.Benchmarks/bin/Release/net10.0/MediaGateway.Benchmarks"
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# run_set DIR N_EXACT N_HNSW NQ1 NQ64_EXACT NQ_HNSW: every wanted contender on DIR/base.npy + DIR/queries.npy.
run_set() {
  local dir=$1 n_exact=$2 n_hnsw=$3 nq1=$4 nq64=$5 nqh=$6
  for n in "$n_exact" "$n_hnsw"; do [ -f "$dir/gt-$n.npy" ] || { echo "ground truth for N=$n"; $PEERS gt "$dir" "$n"; }; done
  # Results of the contenders about to run are replaced; others (from an earlier ONLY= run) stay in the report.
  for c in $ONLY; do rm -f "$dir/${c/ours-int8/ours-exact-int8}.json"; done
  local common=(--base "$dir/base.npy" --queries "$dir/queries.npy" --out "$dir" --threads "$THREADS" --repeat "$REPEAT")
  if want ours-exact; then "$OURS" exact "${common[@]}" --n "$n_exact" --nq1 "$nq1" --nq64 "$nq64"; fi
  if want ours-int8; then "$OURS" exact "${common[@]}" --n "$n_exact" --nq1 "$nq1" --nq64 "$nq64" --storage int8; fi
  if want faiss-flat; then $PEERS peer "$dir" faiss-flat "$n_exact" "$THREADS" "$M" "$EFC" 0 "$nq1" "$nq64"; fi
  if want ours-hnsw; then "$OURS" hnsw "${common[@]}" --n "$n_hnsw" --nq1 "$nqh" --m "$M" --efc "$EFC" --ef "$EFS" --upper-ef "$UPPER_EF" --upper-ef-search "$UPPER_EF_SEARCH"; fi
  # KEEP_INDEX=1: the float16 graph is kept (and loaded by the next run with the same M, EFC and N).
  local keep=(); if [ "$KEEP_INDEX" = 1 ]; then keep=(--index "$dir/ours-hnsw-fp16-m$M-efc$EFC-up$UPPER_EF-n$n_hnsw.index"); fi
  if want ours-hnsw-fp16; then "$OURS" hnsw "${common[@]}" --n "$n_hnsw" --nq1 "$nqh" --m "$M" --efc "$EFC" --ef "$EFS" --upper-ef "$UPPER_EF" --upper-ef-search "$UPPER_EF_SEARCH" --storage fp16 "${keep[@]}"; fi
  if want hnswlib; then $PEERS peer "$dir" hnswlib "$n_hnsw" "$THREADS" "$M" "$EFC" "$EFS" "$nqh" "$nqh"; fi
  if want faiss-hnsw; then $PEERS peer "$dir" faiss-hnsw "$n_hnsw" "$THREADS" "$M" "$EFC" "$EFS" "$nqh" "$nqh"; fi
  return 0
}

if [ "${SKIP_SYNTHETIC:-0}" != 1 ]; then
  run_set "$DATA" "$N_EXACT" "$N_HNSW" "$NQ1" "$NQ64_EXACT" "$NQ"
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo; echo "## Clustered synthetic vectors (384-d)"
  $PEERS report "$DATA" | tee "$DATA/report.md"
  "$OURS" plot --out "$DATA"   # recall-qps-b1.png, recall-qps-b64.png
fi

# 4. Real embeddings: the demo catalog (3,201 films, MiniLM), when 'npm ci' has installed it.
if [ -f "$ROOT/node_modules/vega-datasets/data/movies.json" ] && [ "${SKIP_CATALOG:-0}" != 1 ]; then
  [ -f "$DATA/catalog/base.npy" ] || "$OURS" catalog --out "$DATA/catalog"
  rows=$($PY -c "import numpy as np; print(np.load('$DATA/catalog/base.npy').shape[0])")
  nqc=$($PY -c "import numpy as np; print(np.load('$DATA/catalog/queries.npy').shape[0])")
  run_set "$DATA/catalog" "$rows" "$rows" "$nqc" "$nqc" "$nqc"
  echo; echo "## Demo catalog embeddings (MiniLM, $rows films, $nqc title queries)"
  $PEERS report "$DATA/catalog" | tee "$DATA/catalog/report.md"
  "$OURS" plot --out "$DATA/catalog"
else
  echo "(demo catalog not installed: run 'npm ci' for the real-embedding table)"
fi
