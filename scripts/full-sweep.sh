#!/usr/bin/env bash
# The full study behind the curated results under results/: scaling with
# close and spread binding, the schedule study, waiting work and
# oversubscription, time versus size, schedule overhead, huge pages on and
# off with one and four read streams per thread, and (when given) STREAM
# built beside the project with the same flags, beside triad with huge pages,
# 4 KiB pages and STREAM's array spacing. Each part takes one to five
# minutes on 16 cores; it runs anywhere.
#
# Usage: scripts/full-sweep.sh BUILD_DIR OUT_DIR [PARTS [STREAM_SOURCE_DIR]]
#   PARTS: comma-separated, from scaling, schedules, wait, sizes, overhead,
#   pages, stream; or all (the default).
#   STREAM_SOURCE_DIR holds stream.c (never committed here); it is built with
#   the project's flags: -O3 -march=native -fopenmp (-mcmodel=medium for its
#   static 200M-element arrays).
set -euo pipefail
build=$1
out=$2
parts=${3:-all}
stream_dir=${4:-}
osw="$build/cli/ompsweep"
cores=$(nproc)
mkdir -p "$out"

want() { [ "$parts" = all ] || [[ ",$parts," == *",$1,"* ]]; }
pow2_upto() { # 1,2,4,... below $1, then $1
    local t=1 list=""
    while [ "$t" -lt "$1" ]; do
        list="$list$t,"
        t=$((t * 2))
    done
    echo "$list$1"
}

run() { # run NAME [ompsweep run options]
    local name=$1
    shift
    echo "== $name: $*" >&2
    local t0=$SECONDS
    "$osw" run --out "$out/$name" --force --quiet "$@" || echo "!! $name exited $?" >&2
    echo "== $name took $((SECONDS - t0)) s" >&2
}

mem_kernels=mean_i32,mean_f64,mean_i32_4way,mean_f64_4way,vector_add,vector_add_nt,triad,triad_nt
export OMP_PROC_BIND=close OMP_PLACES=cores
if want scaling; then
    # Arrays well beyond the last-level cache: 2^26 doubles = 512 MiB per array.
    run scaling-close --kernels $mem_kernels,countdown,empty --threads "1-$cores" \
        --sizes 2^26 --schedules static --reps 10
    OMP_PROC_BIND=spread run scaling-spread --kernels $mem_kernels,countdown --threads pow2 \
        --sizes 2^26 --schedules static --reps 10
fi
if want schedules; then
    run schedules --kernels triangular,random_cost --threads "1-$cores" --sizes 2^25 \
        --schedules static,static:1,dynamic:1,2,4,8,16,32,64,128,256,guided,auto --reps 10
fi
if want wait; then
    run wait --kernels wait \
        --threads "1,2,4,8,$cores,$((2 * cores)),$((4 * cores)),$((8 * cores))" \
        --sizes 2^26 --schedules static,dynamic:1 --reps 10
fi
if want sizes; then
    run sizes --kernels mean_f64,triad,countdown --threads "pow2" \
        --sizes 2^10,2^12,2^14,2^16,2^18,2^20,2^22,2^24,2^26 --schedules static --reps 10
fi
if want overhead; then
    # Each kernel at its own default size (uniform: 2^18 items of 64 steps).
    run overhead --kernels uniform,empty --threads "1,2,$cores" \
        --schedules static,static:1,dynamic:1,dynamic:16,guided,guided:16 --reps 20
fi
if want pages; then
    # Huge pages on and off, one read stream per thread against four: 2^27
    # elements (512 MiB of int32 to 3 GiB for triad), beyond any L3 here.
    for hp in on off; do
        run "pages-$hp" --kernels "$mem_kernels" --sizes 2^27 \
            --threads "$(pow2_upto "$cores")" --schedules static --reps 10 --huge-pages "$hp"
    done
fi
if want stream && [ -n "$stream_dir" ] && [ -f "$stream_dir/stream.c" ]; then
    echo "== STREAM 5.10 beside the project" >&2
    gcc -O3 -march=native -fopenmp -mcmodel=medium -DSTREAM_ARRAY_SIZE=200000000 -DNTIMES=20 \
        "$stream_dir/stream.c" -o "$out/stream.bin"
    : >"$out/stream.txt"
    for t in $(pow2_upto "$cores" | tr , ' '); do
        echo "threads=$t" >>"$out/stream.txt"
        OMP_NUM_THREADS=$t "$out/stream.bin" | grep -E '^(Copy|Scale|Add|Triad):' >>"$out/stream.txt"
    done
    rm -f "$out/stream.bin"
    # ompsweep's triad at STREAM's size, same threads and binding.
    run stream-triad --kernels triad,triad_nt --sizes 200000000 --threads "$(pow2_upto "$cores")" \
        --schedules static --reps 20
    # STREAM's static arrays get 4 KiB pages where THP is "madvise": triad so too.
    run stream-triad-4k --kernels triad --sizes 200000000 --threads "$(pow2_upto "$cores")" \
        --schedules static --reps 20 --huge-pages off
    # STREAM's arrays lie 1.6 GB apart, 1970176 bytes modulo 2 MiB: triad so too.
    run stream-triad-offset --kernels triad --sizes 200000000 \
        --threads "$(pow2_upto "$cores")" --schedules static --reps 20 --array-offset 1970176
fi
echo "== done: $out" >&2
