#!/bin/bash
# ab.sh OLD NEW: the mean kernels before (OLD, an ompsweep binary) and after
# (NEW) mean_f64's line-accumulator loop, on the idle machine. Six seeds at
# n = 2^25, each: OLD then NEW (NEW first on even seeds), then three seeds
# at the in-cache sizes. Writes before-*/ after-*/ sizes-*/ run directories
# and load.txt here (the committed CSVs are their summary.csv files).
set -eu
export OMP_PROC_BIND=close OMP_PLACES=cores
old=$1 new=$2
run() { # BIN OUT KERNELS SIZES SEED
    "$1" run --kernels "$3" --sizes "$4" --threads 1,2 --schedules static \
        --order interleaved --reps 20 --seed "$5" --out "$2" >/dev/null
}
for s in 11 12 13 14 15 16; do
    k=mean_i32,mean_f64,mean_f64_1stream,ceiling_read1,ceiling_read4
    if [ $((s % 2)) = 0 ]; then
        run "$new" after-seed$s $k 33554432 $s
        run "$old" before-seed$s $k 33554432 $s
    else
        run "$old" before-seed$s $k 33554432 $s
        run "$new" after-seed$s $k 33554432 $s
    fi
    uptime >>load.txt
done
for s in 41 42 43; do
    k=mean_f64,mean_f64_1stream,ceiling_read4
    run "$old" sizes-before-seed$s $k 4096,16384,65536,1048576 $s
    run "$new" sizes-after-seed$s $k 4096,16384,65536,1048576 $s
    uptime >>load.txt
done
# small2-*: 2 threads, in cache, more samples, same-run pairs
for s in 1 2 3 4 5 6 7 8; do
    for b in "$old" "$new"; do
        side=before; [ "$b" = "$new" ] && side=after
        "$b" run --kernels mean_f64,mean_f64_1stream --sizes 4096,16384 --threads 2 \
            --schedules static --order interleaved --reps 30 --seed $s --out small2-$side-$s >/dev/null
    done
done
