#!/usr/bin/env bash
# Gathers what a bug report needs into one archive, secrets redacted:
#   GPU model, driver, CUDA and NVRTC (or "none"); .NET SDKs and runtimes; the effective configuration (settings
#   files, the MediaGateway-related environment, and the running host's command line and environment); the public
#   health and, with a function key, the detailed health (dependencies, queue depth, runner, backend); recent logs.
#
#   scripts/collect-diagnostics.sh                          against a running scripts/run-local.sh (http://localhost:7071)
#   scripts/collect-diagnostics.sh --url https://<app>.azurewebsites.net --key <function key>
#   options: --url URL  --key KEY (or MG_FUNCTION_KEY)  --log FILE (default .data/logs/local-host.log)  --out DIR (default .)
#   scripts/collect-diagnostics.sh --redact < file          only redact stdin to stdout (what every file below goes through)
#
# The key is used for the request only: it is never written into the archive. Review the archive before attaching it.
set -uo pipefail
cd "$(dirname "$0")/.."

# Secrets, wherever they appear: connection-string keys, SAS signatures, bearer tokens, function keys in URLs, and
# the value of any setting whose name says it is a secret (…Password, …Secret, …Token, …Key, …ConnectionString), also
# when it is given on the command line ("--MediaGateway:LocalHost:FunctionKey=…", "--…:Password value").
redact() {
  sed -E \
    -e 's/((AccountKey|SharedAccessKey|SharedAccessSignature|SharedAccessKeyName|InstrumentationKey|Password|Pwd|ApiKey|Token|Secret)=)[^;"'"'"'[:space:]]*/\1***/gI' \
    -e 's/([?&](sig|code|token|key)=)[^&"'"'"'[:space:]]*/\1***/gI' \
    -e 's/(Bearer[[:space:]]+)[A-Za-z0-9._~+\/=-]+/\1***/gI' \
    -e 's/("[A-Za-z0-9_.:-]*(password|secret|token|apikey|functionkey|accountkey|connectionstring|connection_string|credential)[A-Za-z0-9_.:-]*"[[:space:]]*:[[:space:]]*)"[^"]*"/\1"***"/gI' \
    -e 's/^([A-Za-z0-9_.:-]*(PASSWORD|SECRET|TOKEN|APIKEY|FUNCTIONKEY|FUNCTION_KEY|ACCOUNTKEY|CONNECTIONSTRING|CONNECTION_STRING|CREDENTIAL)[A-Za-z0-9_.:-]*=).*/\1***/I' \
    -e 's/(x-functions-key:[[:space:]]*).*/\1***/I' \
    -e 's/(--?[A-Za-z0-9_.:-]*(password|secret|token|apikey|key|connectionstring|connection_string|credential)[A-Za-z0-9_.:-]*)(=|[[:space:]]+)[^[:space:]]+/\1\3***/gI'
}

if [[ "${1:-}" == "--redact" ]]; then redact; exit 0; fi

url=http://localhost:7071
key=${MG_FUNCTION_KEY:-}
log=.data/logs/local-host.log
out=.
while [[ $# -gt 0 ]]; do
  case "$1" in
    --url) url=${2%/}; shift 2 ;;
    --key) key=$2; shift 2 ;;
    --log) log=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done

stamp=$(date -u +%Y%m%dT%H%M%SZ)
name=mediagateway-diagnostics-$stamp
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dir=$work/$name
mkdir -p "$dir"

section() { printf '\n== %s ==\n' "$1"; }

# --- GPU, CUDA, NVRTC -------------------------------------------------------------------------------------
{
  if command -v nvidia-smi >/dev/null 2>&1; then
    nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv 2>&1
    section "nvidia-smi"
    nvidia-smi 2>&1 | head -20
  else
    echo "GPU: none (nvidia-smi not found); the runner uses the CPU backend"
  fi
  section "CUDA / NVRTC libraries"
  found=$( (ldconfig -p 2>/dev/null | grep -E 'libcuda\.so|libnvrtc' ) || true)
  echo "${found:-none found by ldconfig}"
  [[ -n "${CUDA_PATH:-}" ]] && echo "CUDA_PATH=$CUDA_PATH"
  command -v nvcc >/dev/null 2>&1 && nvcc --version | tail -2
} > "$dir/gpu.txt" 2>&1

# --- .NET and the machine ---------------------------------------------------------------------------------
{
  echo "collected: $stamp"
  echo "host: $(uname -srmo 2>/dev/null)"
  echo "cpus: $(nproc 2>/dev/null)  memory: $(free -h 2>/dev/null | awk '/Mem:/ {print $2}')"
  echo "git: $(git describe --always --dirty 2>/dev/null || echo 'not a git checkout') ($(git rev-parse --abbrev-ref HEAD 2>/dev/null))"
  section "dotnet --list-sdks"; dotnet --list-sdks 2>&1
  section "dotnet --list-runtimes"; dotnet --list-runtimes 2>&1
  section "node"; node --version 2>&1
} > "$dir/versions.txt" 2>&1

# --- Effective configuration, redacted --------------------------------------------------------------------
{
  echo "# Configuration is layered: built-in defaults (docs/architecture.md, Bounds), then these files, then the"
  echo "# environment, then the command line. Secrets are redacted."
  for f in functions/MediaGateway.LocalHost/appsettings*.json functions/MediaGateway.Functions/host.json functions/MediaGateway.Functions/local.settings.json; do
    [[ -f "$f" ]] && { section "$f"; cat "$f"; }
  done
  section "environment of this shell (MediaGateway, storage, telemetry, .NET)"
  env | grep -E '^(MediaGateway|AzureWebJobs|APPLICATIONINSIGHTS|OTEL_|DOTNET_|ASPNETCORE_|FUNCTIONS_|CUDA|MG_)' | grep -v '^MG_FUNCTION_KEY=' | sort
  # Only this checkout's processes (dotnet run starts the host in its project folder).
  root=$(pwd -P)
  pids=""
  for pid in $(pgrep -u "$(id -u)" -f 'MediaGateway\.(LocalHost|GpuRunner|Functions)' 2>/dev/null || true); do
    [[ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" == "$root"* ]] && pids="$pids $pid"
  done
  for pid in $pids; do
    [[ -r /proc/$pid/cmdline ]] || continue
    section "running process $pid"
    echo "command line: $(tr '\0' ' ' < /proc/$pid/cmdline)"
    tr '\0' '\n' < /proc/$pid/environ 2>/dev/null | grep -E '^(MediaGateway|AzureWebJobs|APPLICATIONINSIGHTS|OTEL_|DOTNET_|ASPNETCORE_|FUNCTIONS_|CUDA)' | sort
  done
  [[ -z "$pids" ]] && echo "(no MediaGateway process of this checkout is running on this machine)"
} 2>&1 | redact > "$dir/configuration.txt"

# --- Health, queue depth --------------------------------------------------------------------------------
fetch() { # path, output file, [key]
  local status
  if [[ -n "${3:-}" ]]; then
    status=$(curl -sS -m 15 -o "$2.raw" -w '%{http_code}' -H "x-functions-key: $3" "$url$1" 2>"$2.err")
  else
    status=$(curl -sS -m 15 -o "$2.raw" -w '%{http_code}' "$url$1" 2>"$2.err")
  fi
  { [[ -s "$2.raw" ]] && cat "$2.raw" || cat "$2.err"; } | redact > "$2"
  rm -f "$2.raw" "$2.err"
  echo "GET $1 → HTTP ${status:-000}"
}
{
  echo "gateway: $url"
  fetch /api/v1/health "$dir/health.json"
  if [[ -n "$key" ]]; then
    fetch /api/v1/health/details "$dir/health-details.json" "$key"
    # The queue check reports the approximate number of waiting jobs, as the gateway sees its queue (in process,
    # Azurite or Azure alike).
    waiting=$(grep -oE '"waiting":[[:space:]]*[0-9]+' "$dir/health-details.json" | grep -oE '[0-9]+$' || true)
    echo "search-jobs queue: ${waiting:-unknown} waiting"
  else
    echo "no function key given (--key or MG_FUNCTION_KEY): health details and queue depth not collected"
  fi
} > "$dir/summary.txt" 2>&1

# --- Recent logs ------------------------------------------------------------------------------------------
if [[ -f "$log" ]]; then
  tail -n 2000 "$log" | redact > "$dir/recent.log"
else
  echo "no log file at $log (scripts/run-local.sh writes one; in Azure see Application Insights / 'az containerapp logs show')" > "$dir/recent.log"
fi

mkdir -p "$out"
archive=$out/$name.tar.gz
tar -czf "$archive" -C "$work" "$name"
cat "$dir/summary.txt"
echo "diagnostics written to $archive"
