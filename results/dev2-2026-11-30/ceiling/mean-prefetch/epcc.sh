#!/bin/bash
# epcc.sh SYNCBENCH OMPSWEEP OUT ROUNDS: EPCC syncbench's PARALLEL FOR against
# ompsweep's `empty` (n = threads, as EPCC's loop of nthreads iterations) with
# --probe off and with the probe, at 1 and 2 threads; the order of the three
# programs and of the thread counts is reversed every other round.
SB=$1 OSW=$2 OUT=$3 N=$4
export OMP_PROC_BIND=close OMP_PLACES=cores
mkdir -p "$OUT"
for r in $(seq 1 "$N"); do
    if [ $((r % 2)) -eq 1 ]; then ths="1 2"; else ths="2 1"; fi
    for t in $ths; do
        epcc() { OMP_NUM_THREADS=$t "$SB" --measureonly PARALLEL_FOR >"$OUT/epcc-r$r-t$t.txt" 2>&1; }
        off() { "$OSW" run --kernels empty --sizes "$t" --threads "$t" --schedules static --reps 20 \
            --probe off --out "$OUT/off-r$r-t$t" --force --quiet; }
        on() { "$OSW" run --kernels empty --sizes "$t" --threads "$t" --schedules static --reps 20 \
            --out "$OUT/on-r$r-t$t" --force --quiet; }
        if [ $((r % 2)) -eq 1 ]; then epcc; off; on; else on; off; epcc; fi
        echo "r$r t$t $(date +%T) $(cat /proc/loadavg)" >>"$OUT/load.txt"
    done
done
