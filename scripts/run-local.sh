#!/usr/bin/env bash
# Sets up and starts MediaGateway on localhost:7071 on its embedded default: the gateway's function
# classes and the gpu-runner in one process, CPU backend, demo catalog, in-process queue and stores.
#   scripts/run-local.sh             in-process queue and stores (nothing else to run)
#   scripts/run-local.sh --azurite   the same, on Azure Storage emulated by Azurite (started here)
# Any further arguments go to the host, e.g. --urls http://localhost:8080
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -d node_modules/vega-datasets || ! -d node_modules/azurite ]]; then
  echo "Installing the demo catalog and Azurite (npm ci)..."
  npm ci --no-audit --no-fund
fi

storage=inprocess
if [[ "${1:-}" == "--azurite" ]]; then
  storage=azurite
  shift
  mkdir -p .data/azurite
  echo "Starting Azurite on ports 10000-10002 (data in .data/azurite)..."
  node_modules/.bin/azurite --silent --skipApiVersionCheck --location .data/azurite &
  azurite_pid=$!
  trap 'kill $azurite_pid 2>/dev/null || true' EXIT
fi

# The log also goes to .data/logs/local-host.log, which scripts/collect-diagnostics.sh attaches to a bug report.
mkdir -p .data/logs
dotnet run --project functions/MediaGateway.LocalHost -c Release -- --storage "$storage" "$@" 2>&1 | tee .data/logs/local-host.log
