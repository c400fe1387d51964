#!/usr/bin/env bash
# Builds the emulated GPU (fake_cuda.cpp) into DIR as libcuda.so.1, with libnvrtc.so.12 linked to it:
# put DIR first on LD_LIBRARY_PATH and the real C# backend runs the real kernels on CPU threads.
# Used by the emulated-GPU tests and by `scripts/device-check.sh emulated`.
# NAME=VALUE arguments after DIR build the kernels with those macros (e.g. MG_MMA_PREFETCH=2), and the fake NVRTC then
# accepts exactly those -D options, as a backend compiling that kernel variant passes.
set -euo pipefail
dir="${1:?usage: build-fake-cuda.sh OUTPUT_DIR [NAME=VALUE ...]}"
shift
flags=() defines=""
for define in "$@"; do
  [[ "$define" =~ ^[A-Z_][A-Z0-9_]*=[A-Za-z0-9_.]+$ ]] || { echo "build-fake-cuda.sh: not NAME=VALUE: $define" >&2; exit 2; }
  flags+=("-D$define")
  defines+="${defines:+ }-D$define"
done
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
include="$here/../../../native/include"
mkdir -p "$dir"
# C++20 for atomic wait/notify in the emulated barrier; _Float16 needs g++ 12 or newer on x86-64.
"${CXX:-g++}" -std=c++20 -O2 -fPIC -shared -pthread -Wall -Wextra -Werror -Wno-unknown-pragmas \
  -I "$here" -I "$include" "${flags[@]}" -DMG_FAKE_KERNEL_DEFINES="\"$defines\"" "$here/fake_cuda.cpp" -o "$dir/libcuda.so.1"
ln -sf libcuda.so.1 "$dir/libnvrtc.so.12"
