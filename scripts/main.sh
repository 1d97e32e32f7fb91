#!/usr/bin/env bash
# The main job: install what is missing, build, run the default sweep, draw
# the figures. Usage: scripts/main.sh [extra `ompsweep run` options]
# Environment: BUILD_DIR (default build), OUT_DIR (default $BUILD_DIR/sweep).
# Threads are bound close to cores unless OMP_PROC_BIND / OMP_PLACES say
# otherwise (set them to override).
set -euo pipefail
cd "$(dirname "$0")/.."

build=${BUILD_DIR:-build}
out=${OUT_DIR:-$build/sweep}

scripts/install-deps.sh
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$(nproc)"

export OMP_PROC_BIND=${OMP_PROC_BIND:-close}
export OMP_PLACES=${OMP_PLACES:-cores}
status=0
"$build/cli/ompsweep" run --out "$out" --force "$@" || status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
    exit "$status"
fi

if command -v gnuplot >/dev/null 2>&1 && [ -x plots/draw-all.sh ]; then
    plots/draw-all.sh "$out/summary.csv" "$build/plots"
    echo "figures: $build/plots/ (PNG and SVG)"
else
    echo "gnuplot not found: no figures drawn (scripts/install-deps.sh installs gnuplot-nox)" >&2
fi
echo "results: $out/summary.csv, $out/samples.csv, $out/meta.json"
exit "$status"
