#!/usr/bin/env bash
# Checks the azd/Bicep deployment template without an Azure subscription: compiles infra/main.bicep to ARM
# JSON and lints it with the Bicep CLI, failing on any diagnostic at all (warnings included: bicep exits 0
# on warnings, so its output is what is judged), and lints gpu-runner/Dockerfile. The ARM JSON itself is
# tested by tests/MediaGateway.Infra.Tests.
#
# The Bicep CLI comes from the NuGet package Azure.Bicep.CommandLine.linux-x64 (version pinned in
# Directory.Packages.props), restored through the test project, so no separate download is needed.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
test_project=tests/MediaGateway.Infra.Tests/MediaGateway.Infra.Tests.csproj

echo "Restoring the Bicep CLI package..."
dotnet restore "$test_project" --locked-mode --verbosity quiet
# MSBuild knows where NuGet put the package (this honours NUGET_PACKAGES and any other package folder).
package_folder="$(dotnet msbuild "$test_project" -getProperty:PkgAzure_Bicep_CommandLine_linux-x64 | tr -d '\r')"
bicep="$package_folder/tools/bicep"
if [[ ! -f "$bicep" ]]; then
  echo "error: Bicep CLI not found at '$bicep' (is Azure.Bicep.CommandLine.linux-x64 referenced by $test_project?)" >&2
  exit 1
fi
[[ -x "$bicep" ]] || chmod +x "$bicep"
echo "Using $("$bicep" --version)"

out_dir="$(mktemp -d)"
trap 'rm -rf "$out_dir"' EXIT
failed=0

# Runs one bicep command; any output (a warning, an error, a linter finding) or a non-zero exit fails it.
check() {
  local what="$1"; shift
  local output status=0
  output="$("$bicep" "$@" 2>&1)" || status=$?
  if [[ $status -ne 0 || -n "$output" ]]; then
    echo "FAIL: $what (exit $status)"
    [[ -n "$output" ]] && printf '%s\n' "$output" | sed 's/^/    /'
    failed=1
  else
    echo "ok:   $what"
  fi
}

check "bicep build infra/main.bicep" build infra/main.bicep --outfile "$out_dir/main.json"
check "bicep lint infra/main.bicep" lint infra/main.bicep

# The gpu-runner image cannot be built here (no Docker engine), but its Dockerfile can be linted: syntax,
# instructions and arguments, with the linter the VS Code Docker extension uses (a pinned devDependency).
linter=node_modules/.bin/dockerfile-utils
if [[ ! -x "$linter" ]]; then
  echo "FAIL: $linter is missing: run 'npm ci' in the repository root"
  failed=1
else
  lint_output="$("$linter" lint gpu-runner/Dockerfile 2>&1)" && lint_status=0 || lint_status=$?
  if [[ $lint_status -ne 0 || -n "$lint_output" ]]; then
    echo "FAIL: dockerfile-utils lint gpu-runner/Dockerfile (exit $lint_status)"
    printf '%s\n' "$lint_output" | sed 's/^/    /'
    failed=1
  else
    echo "ok:   dockerfile-utils lint gpu-runner/Dockerfile"
  fi
fi

if [[ $failed -ne 0 ]]; then
  echo "check-infra: findings (see above)." >&2
  exit 1
fi
echo "check-infra: Bicep build, Bicep lint and Dockerfile lint are clean."
