#!/bin/sh
# The runs behind issue 16's and 17's figures (results/dev2-2026-11-30/env-axes/README.md):
#   forkjoin/  the wait-policy trade-off: 3 gaps x {active, passive, default}, 2 threads
#   runtimes/  uniform's schedule overhead on GNU libgomp and LLVM libomp, 1 and 2 threads
#   gm/        GraphicsMagick over threads x binding x wait policy x runtime, output checked
# Usage: measure.sh OMPSWEEP [OUTDIR]   (OUTDIR default: this folder)
set -eu
osw=$1
here=$(cd "$(dirname "$0")" && pwd)
out=${2:-$here}
top=$(cd "$here/../../.." && pwd)
"$osw" run --kernels forkjoin,forkjoin_100us,forkjoin_1ms --sizes 4e6 --threads 2 \
    --schedules static --wait-policy active,passive,default --bind close --reps 10 \
    --quiet --force --out "$out/forkjoin"
"$osw" run --kernels uniform --sizes 1e6 --threads 1,2 --schedules static,dynamic:1,guided \
    --runtime gomp,llvm --bind close --reps 10 --quiet --force --out "$out/runtimes"
"$osw" exec --threads 1,2 --bind close,spread --places cores --wait-policy active,passive \
    --runtime gomp,llvm --check 'signature48=(\d+)' --reps 5 --quiet --force \
    --out "$out/gm" -- "$top/examples/gm-job.sh"
# The OMPT tool's cost (docs/regions.md): the tool on and off as one --env
# axis, on libomp, regions of about 1 ms (500 x 40000) and 10 us (5000 x 400).
tool=$(dirname "$osw")/../tools/ompt/libosw_ompt.so
cost=$(dirname "$osw")/../tests/regions/osw-region_cost
[ -x "$cost" ] || cost=$(dirname "$osw")/../tests/regions/region_cost
for shape in "1ms 500 40000" "10us 5000 400"; do
    set -- $shape
    "$osw" exec --runtime llvm --env "OMP_TOOL_LIBRARIES=$tool,default" \
        --env OSW_OMPT_OUT=/dev/null --threads 1,2 --bind close --reps 10 --quiet --force \
        --out "$out/ompt-cost-$1" -- "$cost" "$2" "$3"
done
