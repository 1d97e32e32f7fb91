#!/usr/bin/env bash
# The run-level A/A measurement (issue 21, item 7): 40 trials of 5 runs a
# side, interleaved with a burst during every B run, the same without a
# burst (control), and sequential with a burst; the runs are kept for the
# power check (power.py). Run on an idle machine from a Release build:
#   results/dev2-2026-11-30/aa-burst/runlevel/measure.sh OUT
set -eu
out=${1:?OUT}
here=$(cd "$(dirname "$0")/../../../.." && pwd)
export OMP_PROC_BIND=close OMP_PLACES=cores
mkdir -p "$out"
uptime >"$out/load.txt"
common=(--trials 40 --runs 5 --keep --ompsweep "$here/build/cli/ompsweep")
"$here/scripts/aa-burst.sh" "${common[@]}" --order interleaved --seed 31 --out "$out/il-burst" >/dev/null
uptime >>"$out/load.txt"
"$here/scripts/aa-burst.sh" "${common[@]}" --order interleaved --seed 31 --hogs 0 --out "$out/il-control" >/dev/null
uptime >>"$out/load.txt"
"$here/scripts/aa-burst.sh" "${common[@]}" --order sequential --seed 31 --out "$out/seq-burst" >/dev/null
uptime >>"$out/load.txt"
