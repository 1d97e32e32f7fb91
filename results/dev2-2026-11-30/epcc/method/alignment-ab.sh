#!/bin/bash
# A/B: ompsweep before (f8fb703) and after (409acee) the cache-line alignment, interleaved.
# Binaries: /tmp/ex/src-old/build/cli/ompsweep (f8fb703), /tmp/ex/osw-409acee (409acee).
# usage: ab.sh ROUNDS OUT
K="sync_critical sync_lock sync_single array_copyprivate_1"
echo "round,kernel,variant,overhead_ns,load1" > $2
for r in $(seq 1 $1); do
  for k in $K; do
    for v in $( ((RANDOM % 2)) && echo "old new" || echo "new old"); do
      b=/tmp/ex/osw-409acee; [ $v = old ] && b=/tmp/ex/src-old/build/cli/ompsweep
      OMP_PROC_BIND=close OMP_PLACES=cores $b run --quiet --force --kernels $k --threads 2 --schedules static --reps 10 --out /tmp/ex/ab-o >/dev/null 2>&1
      x=$(/usr/bin/python3 -c "import csv;r=next(csv.DictReader(open('/tmp/ex/ab-o/summary.csv')));assert r['verified']=='1';print(r['result'])")
      echo "$r,$k,$v,$x,$(cut -d' ' -f1 /proc/loadavg)" >> $2
    done
  done
done
