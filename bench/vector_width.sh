#!/bin/sh
# vector_width.sh: is a memory kernel faster compiled for wider vectors on
# this machine? Builds the suite twice, once with every memory kernel in
# OSW_WIDE_KERNELS and once with none, then times each kernel in both builds
# in interleaved rounds (A B B A ...) at each thread count, and prints one
# line per kernel and thread count: the medians and the ratio wide/default of
# the rounds' medians (above 1: the wide build is faster). docs/kernels.md,
# "Vector width".
# Usage: bench/vector_width.sh [BITS [ROUNDS [SIZE [THREADS]]]]
#   BITS: 512 (default), 256 or 128; ROUNDS: 4; SIZE: 2^26; THREADS: 1,2
set -eu
bits=${1:-512}
rounds=${2:-4}
size=${3:-2^26}
threads=${4:-1,2}
src=$(cd "$(dirname "$0")/.." && pwd)
work=${TMPDIR:-/tmp}/osw-vector-width.$$
kernels=mean_i32,mean_f64,mean_i32_4way,mean_f64_4way,vector_add,triad
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
for variant in wide default; do
    list="mean_i32;mean_f64;mean_i32_4way;mean_f64_4way;vector_add;triad"
    [ "$variant" = default ] && list=""
    cmake -S "$src" -B "$work/$variant" -DCMAKE_BUILD_TYPE=Release \
        -DOSW_GBENCH=OFF -DOSW_MPI=OFF "-DOSW_WIDE_KERNELS=$list" \
        "-DOSW_WIDE_BITS=$bits" >/dev/null
    cmake --build "$work/$variant" -j2 --target ompsweep >/dev/null
done
export OMP_PROC_BIND=close OMP_PLACES=cores
r=0
while [ $r -lt "$rounds" ]; do
    order="wide default"
    [ $((r % 2)) -eq 1 ] && order="default wide"
    for variant in $order; do
        "$work/$variant/cli/ompsweep" run --kernels $kernels --sizes "$size" \
            --threads "$threads" --schedules static --reps 10 --quiet --force \
            --out "$work/out-$variant-$r" >/dev/null 2>&1
    done
    r=$((r + 1))
done
/usr/bin/python3 - "$work" "$rounds" <<'PY'
import csv, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
med = {}
for v in ("wide", "default"):
    for r in range(rounds):
        for row in csv.DictReader(open(f"{work}/out-{v}-{r}/summary.csv")):
            med.setdefault((row["kernel"], row["threads"], v), []).append(float(row["median_s"]))
print("kernel,threads,default_median_s,wide_median_s,ratio_min,ratio_median,ratio_max")
for (k, t, v) in sorted(med):
    if v != "wide":
        continue
    w, d = med[(k, t, "wide")], med[(k, t, "default")]
    ratios = sorted(dd / ww for dd, ww in zip(d, w))
    print(f"{k},{t},{statistics.median(d):.6g},{statistics.median(w):.6g},"
          f"{ratios[0]:.3f},{statistics.median(ratios):.3f},{ratios[-1]:.3f}")
PY
