#!/usr/bin/env bash
# taskloop against for on the idle VM (issue 19): triangular and random_cost
# at n = 2^24, 1 and 2 threads, the for schedules and taskloop grainsizes 1
# to 256, interleaved (every configuration one sample per round, seeded
# order), 30 samples, three seeds; every row verified.
#   results/dev2-2026-11-30/epcc/taskloop-idle/run.sh OUT
set -eu
out=${1:?OUT}
here=$(cd "$(dirname "$0")/../../../.." && pwd)
export OMP_PROC_BIND=close OMP_PLACES=cores
for seed in 1 2 3; do
    "$here/build/cli/ompsweep" run --kernels triangular,random_cost --sizes 2^24 --threads 1,2 \
        --schedules static,dynamic:1,16,256,guided,taskloop:grainsize:1,2,4,8,16,32,64,128,256 \
        --order interleaved --reps 30 --seed "$seed" --out "$out/seed-$seed" --quiet
done
# The same loops under LLVM libomp 14 (the runtime axis runs each
# configuration in its own process, so the order is shuffled, not
# interleaved):
for seed in 1 2 3; do
    "$here/build/cli/ompsweep" run --kernels triangular,random_cost --sizes 2^24 --threads 2 \
        --runtime llvm --schedules guided,dynamic:256,taskloop:grainsize:1,4,16,32,64,128,256,1024,4096 \
        --order shuffled --seed "$seed" --reps 30 --out "$out/llvm-seed-$seed" --quiet
done
