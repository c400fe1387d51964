#!/usr/bin/env bash
# End-to-end latency and throughput of POST /api/v1/search on the embedded default (gateway and runner in
# one process, in-process queue and store) and on Azurite, over HTTP on loopback. Bounded: fixed request
# counts (scripts/bench_serving.py), servers started here and stopped on exit. Results: docs/performance.md.
#   scripts/bench-serving.sh                    this checkout, in-process and Azurite
#   scripts/bench-serving.sh --baseline DIR     also a built checkout in DIR (e.g. an older commit), same run
#   scripts/bench-serving.sh --no-azurite       in-process only
#   scripts/bench-serving.sh --azurite-only     Azurite only
# The servers log at Warning, so console logging is not what is measured.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
baseline=""
azurite=1
inprocess=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --baseline) baseline=$(cd "$2" && pwd); shift 2 ;;
    --no-azurite) azurite=0; shift ;;
    --azurite-only) inprocess=0; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -d node_modules/vega-datasets ]] || npm ci --no-audit --no-fund
dotnet build functions/MediaGateway.LocalHost -c Release -v q -nologo | grep -E "error|Warn|Elapsed" || true

# The load comes from one loopback address: lift the per-client rate limits (tested elsewhere) for the benchmark.
export MediaGateway__Gateway__RateLimits__Routes__Search__Burst=1000000 MediaGateway__Gateway__RateLimits__Routes__Search__PerMinute=1000000

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# serve LABEL TREE STORAGE [CONNECTION]; then runs the client against it and stops it.
serve() {
  local label=$1 tree=$2 storage=$3 connection=${4:-} port log pid args
  port=$(free_port)
  log=$(mktemp /tmp/bench-serving.XXXXXX.log)
  args=(--urls "http://127.0.0.1:$port" --storage "$storage")
  [[ -n "$connection" ]] && args+=(--AzureWebJobsStorage "$connection")
  (cd "$tree" && Logging__LogLevel__Default=Warning exec dotnet functions/MediaGateway.LocalHost/bin/Release/net10.0/MediaGateway.LocalHost.dll "${args[@]}") >"$log" 2>&1 &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 600); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
    kill -0 "$pid" 2>/dev/null || { echo "$label: server exited, see $log" >&2; cat "$log" >&2; return 1; }
    sleep 0.5
  done
  if [[ "$storage" == azurite ]]; then counts=(--sequential 100 --cached 300 --concurrent 400); else counts=(--sequential 200 --cached 1000 --concurrent 1000); fi
  echo "{\"label\": \"$label\", \"loadAverageBefore\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}"
  python3 scripts/bench_serving.py --url "http://127.0.0.1:$port" --label "$label" "${counts[@]}"
  # The issue's own client for the throughput figure: wrk, 16 connections, distinct queries, after the runs above warmed the
  # server. Its C event loop leaves the two shared cores to the server (the Python client costs ~0.7 ms of CPU a request).
  if command -v wrk >/dev/null; then
    BENCH_TAG=$RANDOM wrk -t2 -c16 -d"${WRK_SECONDS:-20}s" -s scripts/bench_serving.lua "http://127.0.0.1:$port" | tail -1 |
      python3 -c 'import json,sys; d=json.load(sys.stdin); d["label"]=sys.argv[1]; print(json.dumps(d))' "$label"
  else
    echo "{\"label\": \"$label\", \"wrk\": \"not installed (apt-get install wrk): 16-connection run with wrk skipped\"}"
  fi
  echo "{\"label\": \"$label\", \"loadAverageAfter\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

if [[ $inprocess -eq 1 ]]; then
  serve "current inprocess" "$root" inprocess
  [[ -z "$baseline" ]] || serve "baseline inprocess" "$baseline" inprocess
fi

if [[ $azurite -eq 1 ]]; then
  account=devstoreaccount1
  key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==" # Azurite's public development key
  for label in current ${baseline:+baseline}; do
    b=$(free_port); q=$(free_port); t=$(free_port)
    node_modules/.bin/azurite --silent --inMemoryPersistence --skipApiVersionCheck --blobPort "$b" --queuePort "$q" --tablePort "$t" >/dev/null 2>&1 &
    apid=$!
    pids+=("$apid")
    for port in "$b" "$q" "$t"; do
      for _ in $(seq 300); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.2; done
    done
    connection="DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$b/$account;QueueEndpoint=http://127.0.0.1:$q/$account;TableEndpoint=http://127.0.0.1:$t/$account;"
    tree=$root; [[ $label == baseline ]] && tree=$baseline
    serve "$label azurite" "$tree" azurite "$connection"
    kill "$apid" 2>/dev/null || true
    wait "$apid" 2>/dev/null || true
  done
fi
