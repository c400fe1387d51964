#!/usr/bin/env bash
# Compiles every native/*.cu to PTX with clang (no CUDA toolkit needed), warnings as errors.
# This is the GPU code's CI gate on machines without a GPU: it catches syntax, type and inline-PTX
# operand errors. It cannot run the kernels; scripts/device-check.sh does that on a GPU machine.
#
# Picks clang-19 (targets sm_90, the H100/H200 generation) when installed, else clang-14 (sm_80).
# Override with CLANG=/path/to/clang and ARCH=sm_XY. Output goes to ${OUT_DIR:-$(mktemp -d)}.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [[ -z "${CLANG:-}" ]]; then
  for candidate in clang-19 clang-18 clang-17 clang-16 clang-15 clang-14 clang; do
    if command -v "$candidate" >/dev/null 2>&1; then CLANG="$candidate"; break; fi
  done
fi
if [[ -z "${CLANG:-}" ]]; then
  echo "ptx-check: no clang found; install one, e.g. 'apt-get install -y clang-19' (or clang-14)" >&2
  exit 2
fi
major="$("$CLANG" --version | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -n1)"
if [[ -z "${ARCH:-}" ]]; then
  # clang learned sm_90 in 15/16; older ones stop at sm_86, and the kernels need sm_80 for mma.sync.
  if [[ "${major:-0}" -ge 16 ]]; then ARCH=sm_90; else ARCH=sm_80; fi
fi
out="${OUT_DIR:-$(mktemp -d)}"
mkdir -p "$out"

echo "ptx-check: $("$CLANG" --version | head -n1), --cuda-gpu-arch=$ARCH, output in $out"
status=0
for source in "$root"/native/*.cu; do
  name="$(basename "$source" .cu)"
  # -nocudainc/-nocudalib: no CUDA headers or libdevice here; native/include/mg_cuda_compat.h declares
  # what the kernels use. --cuda-device-only -S: device code only, stop at PTX.
  if "$CLANG" -x cuda --cuda-device-only --cuda-gpu-arch="$ARCH" -nocudainc -nocudalib \
       -O3 -std=c++17 -Wall -Wextra -Werror -I"$root/native/include" -S "$source" -o "$out/$name.ptx"; then
    entries="$(grep -c '^\.visible \.entry' "$out/$name.ptx" || true)"
    echo "  ok   $name.cu -> $name.ptx ($entries kernel(s))"
  else
    echo "  FAIL $name.cu" >&2
    status=1
  fi
done
exit $status
