#!/usr/bin/env bash
# The main job: install what is missing, build, run the default sweep, draw
# the figures, and print the answer: per kernel the OMP_* settings to use.
# Usage: scripts/main.sh [extra `ompsweep run` options]
# Environment: BUILD_DIR (default build), OUT_DIR (default $BUILD_DIR/sweep).
# Threads are bound close to cores unless OMP_PROC_BIND / OMP_PLACES say
# otherwise (set them to override). The build's output goes to
# $BUILD_DIR/main-build.log, shown only when the build fails.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${BUILD_DIR:-build}
out=${OUT_DIR:-$build/sweep}
log=$build/main-build.log

scripts/install-deps.sh
mkdir -p "$build"
echo "building (log: $log) ..."
if ! { cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release && cmake --build "$build" -j"$(nproc)"; } >"$log" 2>&1; then
    tail -40 "$log" >&2
    echo "main: the build failed; the whole log is $log" >&2
    exit 3
fi

export OMP_PROC_BIND=${OMP_PROC_BIND:-close}
export OMP_PLACES=${OMP_PLACES:-cores}
osw=$build/cli/ompsweep
status=0
"$osw" run --out "$out" --force "$@" || status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
    exit "$status"
fi

figures=""
if command -v gnuplot >/dev/null 2>&1; then
    # "only one size" and similar notices: counted, not listed.
    if OMPSWEEP=$osw plots/draw-all.sh "$out/summary.csv" "$build/plots/figures" 2>"$build/plots.log"; then
        skipped=$(grep -c "no figure" "$build/plots.log" || true)
        figures="$build/plots/figures/ ($(find "$build/plots/figures" -name '*.png' | wc -l) figures$([ "$skipped" -gt 0 ] && echo ", $skipped skipped: see $build/plots.log"))"
    else
        cat "$build/plots.log" >&2
    fi
else
    echo "gnuplot not found: no figures drawn (scripts/install-deps.sh installs gnuplot-nox)" >&2
fi

# The answer: tune's recommendation per kernel and size.
echo
echo "== what to set (ompsweep tune $out; the fewest threads not significantly slower than the fastest)"
"$osw" tune "$out" --format csv 2>/dev/null | python3 -c '
import csv, sys
for r in csv.DictReader(sys.stdin):
    k, n = r["kernel"], r["n"]
    if not r["threads"]:
        print("  %-16s n=%-11s no verified configuration" % (k, n))
        continue
    tied = int(r["tied"] or 1)
    note = "%d configurations tied" % tied if tied > 1 else "alone fastest"
    print("  %-16s n=%-11s %s   (%s)" % (k, n, r["export"], note))
' || echo "  (ompsweep tune $out failed; run it for details)"
echo
echo "results: $out/summary.csv, samples.csv, meta.json (ompsweep tune $out for the evidence)"
[ -n "$figures" ] && echo "figures: $figures; start with speedup-*.png and bandwidth-triad.png"
# One page with all of it: machine, advice, table and figures.
if page=$("$osw" report "$out" 2>/dev/null); then
    echo "report: $page (open it in a browser)"
else
    echo "report: ompsweep report $out failed; run it for details" >&2
fi
exit "$status"
