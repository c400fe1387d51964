#!/usr/bin/env bash
# Runs every test of the repository: installs the Node.js tools the tests use (Azurite, the demo
# catalog) when missing, then runs the whole solution's tests. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -d node_modules/vega-datasets || ! -d node_modules/azurite || ! -d node_modules/dockerfile-utils ]]; then
  npm ci --no-audit --no-fund
fi

# Exactly the packages in the committed lock files, or stop: a lock file out of step with its project, or a
# package whose content hash changed, fails here (see RestorePackagesWithLockFile in Directory.Build.props).
dotnet restore MediaGateway.sln --locked-mode --verbosity quiet

# Static checks first: they are quick and say exactly what is wrong.
scripts/check-infra.sh
scripts/ptx-check.sh
# The GPU check end to end on the emulated driver: the NativeAOT driver publishes warning-clean and the script
# works, so no minute on a GPU machine is spent on a broken script (docs/gpu.md).
scripts/device-check.sh emulated

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test MediaGateway.sln -c Release "$@" 2>&1 | tee "$log" || status=$?

# One closing line for the whole run, summed over the test projects.
awk '/(Passed|Failed)!  *- *Failed:/ {
       for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1)); if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
if [[ $status -ne 0 ]]; then
  echo "dotnet test exited with $status (a build error or a failed test; see above)" >&2
fi
exit $status
