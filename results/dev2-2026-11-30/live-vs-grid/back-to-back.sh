#!/bin/bash
# live racing vs a full grid, back to back, twice (grid, racing, racing, grid)
B=${OMPSWEEP:-build/cli/ompsweep}
S='static,static:pow2,dynamic:pow2,guided,guided:pow2'
export OMP_PROC_BIND=close OMP_PLACES=cores
R="--kernels uniform --sizes 1e4 --threads 1-4 --schedules $S"
t() { local s=$(date +%s.%N); "$@"; local e=$(date +%s.%N); echo "wall $(echo "$e - $s" | bc)"; }
for order in 1 2; do
  if [ $order = 1 ]; then
    echo "== grid1 $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"; t $B run $R --reps 20 --out ${OUT:-/tmp/bb}/grid1 --force --quiet 2>/dev/null
    echo "== racing1 $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"; rm -rf ${OUT:-/tmp/bb}/racing1; t $B tune --search racing --budget 700 --out ${OUT:-/tmp/bb}/racing1 --run $R
  else
    echo "== racing2 $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"; rm -rf ${OUT:-/tmp/bb}/racing2; t $B tune --search racing --budget 700 --out ${OUT:-/tmp/bb}/racing2 --run $R
    echo "== grid2 $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)"; t $B run $R --reps 20 --out ${OUT:-/tmp/bb}/grid2 --force --quiet 2>/dev/null
  fi
done
echo done
