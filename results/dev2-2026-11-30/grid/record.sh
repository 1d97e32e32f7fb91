#!/bin/bash
# Records the replay grid as 20 interleaved rounds of one sample per
# configuration (each round a whole sweep, kernels shuffled with the round's
# seed), so that every configuration's samples spread over the whole
# recording and the machine's load falls on all of them alike.
set -u
B=${OMPSWEEP:-build/cli/ompsweep}
DEMO=${OMP_DEMO:-build/examples/omp_demo}
O=${1:-/tmp/grid-rounds}
S='static,static:pow2,dynamic:pow2,guided,guided:pow2'
export OMP_PROC_BIND=close OMP_PLACES=cores
mkdir -p $O
for r in $(seq 1 20); do
  for kn in uniform:1e4 triangular:1e6 random_cost:1e6 countdown:1e6; do
    k=${kn%%:*}; n=${kn##*:}
    $B run --kernels $k --sizes $n --threads 1-4 --schedules "$S" --reps 1 --order shuffled --seed $r --out $O/$k-$r --force --quiet 2>>$O/stderr.txt || echo "rc $? for $k round $r"
  done
  $B exec --threads 1-4 --schedules "$S" --reps 1 --metric 'time: ([0-9.eE+-]+)' --out $O/omp_demo-$r --force --quiet -- $DEMO 200000 1 2>>$O/stderr.txt || echo "rc $? for omp_demo round $r"
  echo "round $r $(date -u +%T) $(cut -d' ' -f1-3 /proc/loadavg)"
done
echo done
