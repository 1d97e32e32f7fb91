#!/bin/bash
# The idle measurements of the 2026-11-30 afternoon stop, one after the other
# (nothing else running); usage: idle-measurements.sh [OUT]. The EPCC side by
# side came after it: /work/epcc-build/compare.py (not committed, it builds on
# EPCC) ... 3, reduced by epcc/reduce.py into epcc/idle2.
set -u
cd "$(dirname "$0")/../.." || exit 1
B=build/cli/ompsweep
M=${1:-/tmp/idle-measurements}
mkdir -p $M
export OMP_PROC_BIND=close OMP_PLACES=cores
echo "== start $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
# 1. live racing vs grid (issue 18)
rm -rf $M/live; bash results/dev2-2026-11-30/live-inprocess/back-to-back.sh $M/live $B
/usr/bin/python3 results/dev2-2026-11-30/live-inprocess/compare.py $M/live > $M/live/table.md
echo "== live done $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
# 2. mean kernels against the read ceiling, interleaved (issue 21), 3 runs
for r in 1 2 3; do
  $B run --kernels mean_i32,mean_f64,ceiling_read1,ceiling_read4 --sizes 33554432 --threads 1,2 \
     --schedules static --order interleaved --reps 20 --seed $r --out $M/ceiling-$r --force --quiet
done
echo "== ceiling done $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
# 3. A/A under a burst: sequential vs interleaved, 40 trials each (issue 21 item 7)
rm -rf $M/aa; unset OMP_PROC_BIND OMP_PLACES
OMP_PROC_BIND=close OMP_PLACES=cores scripts/aa-burst.sh --trials 40 --order sequential,interleaved \
   --out $M/aa --ompsweep $B > $M/aa-trials.csv 2> $M/aa-summary.txt
echo "== aa done $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
