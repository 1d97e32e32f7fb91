#!/bin/bash
# A live racing search (tune --search racing --run, measured in one process
# by the engine's sampler) against a full grid of the same space, back to
# back and twice, in the order grid, racing, racing, grid, for each problem.
# Usage: back-to-back.sh OUT [OMPSWEEP]; then compare.py OUT.
set -euo pipefail
OUT=${1:?usage: back-to-back.sh OUT [OMPSWEEP]}
B=${2:-build/cli/ompsweep}
S='static,static:pow2,dynamic:pow2,guided,guided:pow2'
export OMP_PROC_BIND=close OMP_PLACES=cores
mkdir -p "$OUT"
wall() { # NAME CMD...: runs CMD, appends "NAME seconds load" to OUT/walls.txt
  local name=$1; shift
  local l0; l0=$(cut -d' ' -f1 /proc/loadavg)
  local s; s=$(date +%s.%N)
  "$@" > "$OUT/$name.out" 2> "$OUT/$name.err"
  local e; e=$(date +%s.%N)
  echo "$name $(echo "$e - $s" | bc) $l0 $(date -u +%T)" >> "$OUT/walls.txt"
}
for p in "triangular 1e6" "uniform 1e5"; do
  set -- $p
  R="--kernels $1 --sizes $2 --threads 1-4 --schedules $S"
  for step in grid1 racing1@700 racing1@420 racing2@420 racing2@700 grid2; do
    name=$1-${step/@/-b}
    rm -rf "${OUT:?}/$name"
    case $step in
    grid*) wall "$name" $B run $R --reps 20 --out "$OUT/$name" --quiet ;;
    racing*) wall "$name" $B tune --search racing --budget "${step#*@}" --format csv \
                  --out "$OUT/$name" --run $R ;;
    esac
  done
done
