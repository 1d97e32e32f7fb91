#!/usr/bin/env bash
# The test command: install what is missing, then build and run every CTest
# suite twice, once in a normal optimised build and once under
# AddressSanitizer + UndefinedBehaviorSanitizer, and compile once with clang
# (warnings are errors in all three). Usage: scripts/test.sh
# and fuzz the parsers for FUZZ_SECONDS (default 20) per target.
# Environment: SKIP_SANITIZE=1, SKIP_CLANG=1 or SKIP_FUZZ=1 leave a stage out.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
jobs=$(nproc)

stage() { echo "== $*" >&2; }

stage "gcc, Release: build and test"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

if [ "${SKIP_SANITIZE:-0}" != 1 ]; then
    stage "gcc, AddressSanitizer + UndefinedBehaviorSanitizer: build and test"
    cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOSW_SANITIZE=ON >/dev/null
    cmake --build build-sanitize -j"$jobs"
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
        ctest --test-dir build-sanitize --output-on-failure -j"$jobs" -LE 'plots|mpi'
    # Open MPI's own start-up allocations (some in plugins it dlopens, so no
    # suppression file can name them) outlive MPI_Finalize: leak checking
    # is off for the MPI tests only; ASan and UBSan still check our code.
    ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 \
        ctest --test-dir build-sanitize --output-on-failure -j"$jobs" -L 'mpi'
fi

if [ "${SKIP_CLANG:-0}" != 1 ] && command -v clang >/dev/null 2>&1; then
    stage "clang: build and test (unit, kernel, cli, compare, repro, fuzz replay)"
    CC=clang CXX=clang++ cmake -S . -B build-clang -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build build-clang -j"$jobs"
    ctest --test-dir build-clang --output-on-failure -j"$jobs" -L 'unit|kernel|cli|compare|repro|fuzz'
fi
if [ "${SKIP_FUZZ:-0}" != 1 ] && command -v clang >/dev/null 2>&1; then
    # Bounded fuzzing of the list parsers and the CSV reader (libFuzzer).
    seconds=${FUZZ_SECONDS:-20}
    stage "libFuzzer: ${seconds} s per target"
    scripts/fuzz.sh "$seconds"
fi
stage "all test stages passed"
