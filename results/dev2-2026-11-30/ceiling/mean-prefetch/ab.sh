#!/bin/bash
# ab.sh OLD_OMPSWEEP NEW_OMPSWEEP OUT ROUNDS: the mean kernels and the read
# ceilings at n = 2^25, 1 and 2 threads, one run of each build per round, the
# order of the builds reversed every other round. OLD is a build of 452f2b0
# (flat four-stream loops), NEW of this branch. Writes OUT/{base,new}-R/.
OLD=$1 NEW=$2 OUT=$3 N=$4
K=mean_i32,mean_f64,ceiling_read1,ceiling_read4
export OMP_PROC_BIND=close OMP_PLACES=cores
for i in $(seq 1 "$N"); do
    if [ $((i % 2)) -eq 1 ]; then order="base new"; else order="new base"; fi
    for w in $order; do
        b=$NEW; [ "$w" = base ] && b=$OLD
        "$b" run --kernels $K --sizes 33554432 --threads 1,2 --schedules static \
            --order shuffled --reps 20 --out "$OUT/$w-$i" --force --quiet
        echo "$w-$i $(date +%T) $(cat /proc/loadavg)" >>"$OUT/load.txt"
    done
done
