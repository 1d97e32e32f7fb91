#!/bin/bash
# stream.sh OMPSWEEP STREAM_C OUT ROUNDS [FLAG...]: STREAM 5.10 (stream.c, built here
# with -O3 -march=native -fopenmp, N elements, 20 repetitions) against
# `ompsweep run --kernels triad,vector_add` at the same n, 1 and 2 threads,
# N from the environment (default 30000000: a power of two puts STREAM's
# three static arrays an exact multiple of 4 KiB apart, so they alias),
# OMP_PROC_BIND=close OMP_PLACES=cores, the order alternating each round.
# OUT gets stream-R-T.txt (STREAM's output) and osw-R-T/ (the run). FLAGs
# go to `ompsweep run` (e.g. --huge-pages off).
set -eu
osw=$1 src=$2 out=$3 rounds=$4
shift 4
mkdir -p "$out"
gcc -O3 -march=native -fopenmp -DSTREAM_ARRAY_SIZE="${N:-30000000}" -DNTIMES=20 -o "$out/stream" "$src"
export OMP_PROC_BIND=close OMP_PLACES=cores
for r in $(seq 1 "$rounds"); do
    for t in 1 2; do
        s() { OMP_NUM_THREADS=$t "$out/stream" >"$out/stream-$r-$t.txt"; }
        o() {
            "$osw" run --quiet --force --kernels triad,vector_add --sizes "${N:-30000000}" --threads $t \
                --schedules static --reps 20 --order interleaved --seed "$r" --out "$out/osw-$r-$t" "$@"
        }
        if [ $(((r + t) % 2)) = 0 ]; then s; o; else o; s; fi
    done
done
