#!/usr/bin/env bash
# Paired throughput comparison of local-host variants at 16 connections (wrk, distinct uncached searches).
# This machine's speed drifts by a third within minutes (the same build measured 5.2 and 7.4 ms of CPU per
# request), so one run per variant cannot tell a 10 % change: every variant is started once, warmed, and then
# short wrk runs alternate between them, and the summary gives each variant's median and its per-round ratio
# to the first variant. Idle servers cost nothing while another is measured. Needs wrk (apt-get install wrk).
#   scripts/bench-serving-ab.sh LABEL:TREE[:ENV=VALUE,ENV=VALUE] ...
#   ROUNDS=8 SECONDS_PER_RUN=8 scripts/bench-serving-ab.sh now:. one-batch:.:MediaGateway__Engine__ConcurrentBatches=1 old:/path/to/built/checkout
# Each TREE must hold a built local host (dotnet build functions/MediaGateway.LocalHost -c Release).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
rounds=${ROUNDS:-8}
seconds=${SECONDS_PER_RUN:-8}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
[[ $# -ge 1 ]] || { sed -n 2,10p "$0" >&2; exit 2; }
export MediaGateway__Gateway__RateLimits__Routes__Search__Burst=1000000 MediaGateway__Gateway__RateLimits__Routes__Search__PerMinute=1000000

labels=(); ports=(); pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

for spec in "$@"; do
  IFS=: read -r label tree envs <<<"$spec"
  tree=$(cd "$tree" && pwd)
  port=$(free_port)
  (cd "$tree" && for e in ${envs//,/ }; do export "$e"; done && Logging__LogLevel__Default=Warning exec dotnet functions/MediaGateway.LocalHost/bin/Release/net10.0/MediaGateway.LocalHost.dll --urls "http://127.0.0.1:$port" --storage inprocess) >"/tmp/bench-ab-$label.log" 2>&1 &
  pids+=($!); labels+=("$label"); ports+=("$port")
  for _ in $(seq 240); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.5; done
  # Warm-up, not measured: the first searches compile the path and fill the phrase-embedding cache.
  python3 scripts/bench_serving.py --url "http://127.0.0.1:$port" --label warm --sequential 50 --cached 0 --concurrent 800 >/dev/null
done

results=$(mktemp /tmp/bench-ab.XXXXXX.jsonl)
for round in $(seq "$rounds"); do
  for i in "${!labels[@]}"; do
    pid=${pids[$i]}
    cpu0=$(awk '{print $14+$15}' "/proc/$pid/stat")
    line=$(BENCH_TAG="$RANDOM$round" wrk -t2 -c16 -d"${seconds}s" -s scripts/bench_serving.lua "http://127.0.0.1:${ports[$i]}" | tail -1)
    cpu1=$(awk '{print $14+$15}' "/proc/$pid/stat")
    echo "$line" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps({"label": sys.argv[1], "round": int(sys.argv[2]), "requestsPerSecond": d["requestsPerSecond"], "p50": d["p50"], "p99": d["p99"], "meanBatchSize": d["meanBatchSize"], "statuses": d["statuses"], "serverCpuMsPerRequest": round((int(sys.argv[4]) - int(sys.argv[3])) * 1000 / int(sys.argv[5]) / d["requests"], 2)}))' \
      "${labels[$i]}" "$round" "$cpu0" "$cpu1" "$(getconf CLK_TCK)" | tee -a "$results"
  done
done
python3 - "$results" <<'PY'
import collections, json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = collections.defaultdict(list)
for r in rows: by[r["label"]].append(r)
first = rows[0]["label"]
for label, rs in by.items():
    med = lambda key: statistics.median(r[key] for r in rs)
    ratios = [r["requestsPerSecond"] / f["requestsPerSecond"] for r, f in zip(rs, by[first])]
    print(json.dumps({"label": label, "rounds": len(rs), "requestsPerSecondMedian": med("requestsPerSecond"),
                      "requestsPerSecondRange": [min(r["requestsPerSecond"] for r in rs), max(r["requestsPerSecond"] for r in rs)],
                      "p50Median": med("p50"), "p99Median": med("p99"), "meanBatchSizeMedian": med("meanBatchSize"), "serverCpuMsPerRequestMedian": med("serverCpuMsPerRequest"),
                      f"ratioTo_{first}": {"median": round(statistics.median(ratios), 3), "min": round(min(ratios), 3), "max": round(max(ratios), 3)},
                      "errors": sum(1 for r in rs if list(r["statuses"]) != ["200"])}))
PY
