#!/usr/bin/env bash
# Fuzzes the harness's input parsers with libFuzzer (clang, with AddressSanitizer
# and UndefinedBehaviorSanitizer): builds the fuzz targets in build-fuzz/, runs
# each for SECONDS (default 30) on a copy of its seed corpus
# (tests/fuzz/corpus/<name>/, left untouched), and prints executions and
# findings. A finding (crash, leak, timeout, out-of-memory, broken check) is
# saved under build-fuzz/fuzz-findings/<name>/; add it to
# tests/fuzz/regressions/<name>/ so that `ctest -L fuzz` replays it.
# Usage: scripts/fuzz.sh [SECONDS]
# Environment: FUZZ_SKIP_REGRESSIONS=1 leaves tests/fuzz/regressions/ out of
# the starting corpus (to fuzz on while a known finding awaits its fix).
# Exit status: 0 no findings, 1 a finding, 2 usage, 3 no clang/libFuzzer.
set -euo pipefail
cd "$(dirname "$0")/.."

secs=${1:-30}
if ! [[ "$secs" =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: scripts/fuzz.sh [SECONDS]  (per target, default 30)" >&2
    exit 2
fi
if ! command -v clang >/dev/null 2>&1; then
    echo "fuzz: clang not found (scripts/install-deps.sh installs it)" >&2
    exit 3
fi

build=build-fuzz
targets=(parse csv)
CC=clang cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOSW_GBENCH=OFF \
    -DOSW_MPI=OFF >/dev/null
for t in "${targets[@]}"; do
    if ! cmake --build "$build" -j"$(nproc)" --target "fuzz_$t" >"$build/fuzz-build-$t.log" 2>&1; then
        if grep -q "unknown target\|No rule to make target" "$build/fuzz-build-$t.log"; then
            echo "fuzz: target fuzz_$t not configured (clang without libFuzzer?" \
                "scripts/install-deps.sh installs libclang-rt-14-dev)" >&2
            exit 3
        fi
        cat "$build/fuzz-build-$t.log" >&2
        exit 1
    fi
done

status=0
for t in "${targets[@]}"; do
    work="$build/fuzz-corpus/$t"
    findings="$build/fuzz-findings/$t"
    log="$build/fuzz-$t.log"
    rm -rf "$work"
    mkdir -p "$work" "$findings"
    cp tests/fuzz/corpus/"$t"/* "$work"/
    if [ "${FUZZ_SKIP_REGRESSIONS:-0}" != 1 ] && [ -d "tests/fuzz/regressions/$t" ]; then
        cp tests/fuzz/regressions/"$t"/* "$work"/
    fi
    before=$(find "$findings" -type f | wc -l)
    dict=()
    if [ -f "tests/fuzz/$t.dict" ]; then dict=(-dict="tests/fuzz/$t.dict"); fi
    echo "== fuzz_$t: ${secs}s" >&2
    rc=0
    # -timeout: an input taking over 10 s is a finding (the parsers are linear).
    "$build/tests/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$findings/" "${dict[@]}" "$work" >"$log" 2>&1 || rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    corpus=$(ls "$work" | wc -l)
    new=$(($(find "$findings" -type f | wc -l) - before))
    echo "fuzz_$t: ${execs:-?} executions, corpus ${corpus} inputs, exit ${rc}, ${new} new finding(s)"
    if [ "$rc" -ne 0 ] || [ "$new" -ne 0 ]; then
        status=1
        grep -E "ERROR: |runtime error:|broken promise|^    #[0-9]+ |Test unit written to" "$log" \
            | head -40 >&2 || true
        echo "fuzz_$t: full log $log; inputs in $findings/" >&2
    fi
done
exit "$status"
