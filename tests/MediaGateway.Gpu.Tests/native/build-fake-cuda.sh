#!/usr/bin/env bash
# Builds the emulated GPU (fake_cuda.cpp) into DIR as libcuda.so.1, with libnvrtc.so.12 linked to it:
# put DIR first on LD_LIBRARY_PATH and the real C# backend runs the real kernels on CPU threads.
# Used by the emulated-GPU tests and by `scripts/device-check.sh emulated`.
set -euo pipefail
dir="${1:?usage: build-fake-cuda.sh OUTPUT_DIR}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
include="$here/../../../native/include"
mkdir -p "$dir"
# C++20 for atomic wait/notify in the emulated barrier; _Float16 needs g++ 12 or newer on x86-64.
"${CXX:-g++}" -std=c++20 -O2 -fPIC -shared -pthread -Wall -Wextra -Werror -Wno-unknown-pragmas \
  -I "$here" -I "$include" "$here/fake_cuda.cpp" -o "$dir/libcuda.so.1"
ln -sf libcuda.so.1 "$dir/libnvrtc.so.12"
