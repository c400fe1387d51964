#!/usr/bin/env bash
# Fault and load tests too long for CI (issue 11, item 6), on the split deployment: Azurite, a gateway-only
# and a runner-only local host as three processes (as in Azure: Functions app, GPU runner, storage account).
#   1. storage outage: Azurite stopped (SIGTERM) for 20 s while searches and health checks keep coming;
#      every answer during the outage must be 503 + Retry-After (never 500, never a hang), and searches and
#      health must recover after Azurite restarts without restarting either host.
#   2. load: 60 s at 8 connections, a mix of new and repeated searches; 0 errors.
# Results as JSON lines on stdout (scripts/fault_tests.py); recorded in docs/reliability.md.
#   scripts/fault-tests.sh [--outage-seconds 20] [--load-seconds 60] [--connections 8]
# Bounded: loopback only, fixed durations, every process started here is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
client_args=("$@")
[[ -d node_modules/vega-datasets && -d node_modules/azurite ]] || npm ci --no-audit --no-fund
dotnet build functions/MediaGateway.LocalHost -c Release -v q -nologo | grep -E " error |Elapsed" || true

work=$(mktemp -d /tmp/fault-tests.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [[ -f "$work/azurite.pid" ]] && kill "$(cat "$work/azurite.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

account=devstoreaccount1
key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==" # Azurite's public development key
b=$(free_port); q=$(free_port); t=$(free_port)
# On disk (not in memory), so that what was queued survives the restart, as it would on Azure Storage.
azurite_cmd="exec node_modules/.bin/azurite --silent --skipApiVersionCheck --location $work/azurite --blobPort $b --queuePort $q --tablePort $t"
bash -c "$azurite_cmd" >"$work/azurite.log" 2>&1 &
echo $! >"$work/azurite.pid"
for port in "$b" "$q" "$t"; do
  for _ in $(seq 300); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.2; done
done
connection="DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$b/$account;QueueEndpoint=http://127.0.0.1:$q/$account;TableEndpoint=http://127.0.0.1:$t/$account;"

# The load comes from one loopback address: lift the per-client limits for it (they are tested elsewhere).
export MediaGateway__Gateway__RateLimits__Routes__Search__Burst=1000000 MediaGateway__Gateway__RateLimits__Routes__Search__PerMinute=1000000
export MediaGateway__Gateway__RateLimits__Routes__Health__Burst=1000000 MediaGateway__Gateway__RateLimits__Routes__Health__PerMinute=1000000
export MediaGateway__Gateway__RateLimits__Routes__GetJob__Burst=1000000 MediaGateway__Gateway__RateLimits__Routes__GetJob__PerMinute=1000000
host() { # host ROLE PORT
  Logging__LogLevel__Default=Warning exec dotnet functions/MediaGateway.LocalHost/bin/Release/net10.0/MediaGateway.LocalHost.dll \
    --role "$1" --storage azurite --AzureWebJobsStorage "$connection" --urls "http://127.0.0.1:$2"
}
runner_port=$(free_port); gateway_port=$(free_port)
(host runner "$runner_port") >"$work/runner.log" 2>&1 & pids+=($!)
(host gateway "$gateway_port") >"$work/gateway.log" 2>&1 & pids+=($!)
for port in "$runner_port" "$gateway_port"; do
  for _ in $(seq 1200); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.5; done
  curl -sf "http://127.0.0.1:$port/readyz" >/dev/null || { echo "host on $port not ready; logs in $work" >&2; tail -20 "$work"/*.log >&2; exit 1; }
done
echo "{\"hosts\":\"ready\",\"loadAverage\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"nproc\":$(nproc),\"logs\":\"$work\"}"
python3 scripts/fault_tests.py --url "http://127.0.0.1:$gateway_port" \
  --azurite-start "$azurite_cmd" --azurite-pid-file "$work/azurite.pid" --azurite-log "$work/azurite.log" --azurite-queue-port "$q" "${client_args[@]}"
