#!/usr/bin/env bash
# Runs the numerical test suites once per OpenBLAS kernel family this CPU can execute
# (OPENBLAS_CORETYPE), so that a test which passes only with one CPU's round-off cannot land.
# Kernels whose instructions the CPU lacks (AVX-512 on many machines) are skipped, not faked.
# Expects `swift build --build-tests` to have run.
set -euo pipefail
cd "$(dirname "$0")/.."
FILTER="${KERNEL_TEST_FILTER:-MatrixTests|IdentitySpectralTests}"
flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
has() { for f in "$@"; do [[ "$flags" == *" $f "* ]] || return 1; done; }

declare -A needs=(
  [Cooperlake]="avx512f avx512bw avx512vl avx512dq avx512cd avx512_bf16"
  [SkylakeX]="avx512f avx512bw avx512vl avx512dq avx512cd"
  [Haswell]="avx2 fma"
  [Zen]="avx2 fma"
  [Sandybridge]="avx"
  [Prescott]="pni"
)
ran=0
for kernel in Cooperlake SkylakeX Haswell Zen Sandybridge Prescott; do
  # shellcheck disable=SC2086
  if ! has ${needs[$kernel]}; then echo "openblas-kernels: $kernel skipped (CPU lacks ${needs[$kernel]})"; continue; fi
  echo "openblas-kernels: $kernel"
  OPENBLAS_CORETYPE=$kernel swift test --skip-build --filter "$FILTER" > /tmp/amlgraph-kernel-$kernel.log 2>&1 || {
    grep -E "error|failed" /tmp/amlgraph-kernel-$kernel.log | head -40
    echo "openblas-kernels: FAILED under OPENBLAS_CORETYPE=$kernel (full log: /tmp/amlgraph-kernel-$kernel.log)"
    exit 1
  }
  grep -E "Executed [0-9]+ tests" /tmp/amlgraph-kernel-$kernel.log | tail -1
  ran=$((ran + 1))
done
[ "$ran" -gt 0 ] || { echo "openblas-kernels: no kernel could run on this CPU"; exit 1; }
echo "openblas-kernels: $ran kernels passed"
