#!/bin/sh
# search-compare.sh OMPSWEEP GRID_ROOT OUT.csv [SEEDS] [BUDGETS] [FIRST_SEED]
# Replays every recorded grid under GRID_ROOT (each directory with a
# samples.csv) with each search strategy, SEEDS seeds from FIRST_SEED
# (default 100 seeds from 1) and each budget (default "5% 10% 15% 25%" of
# the grid's samples), and writes one
# CSV row per replay (ompsweep tune --search ... --format csv) to OUT.csv,
# the table plots/search.gp draws (docs/tuning-search.md).
set -eu
bin=$1 root=$2 out=$3 seeds=${4:-100} budgets=${5:-"5% 10% 15% 25%"} seed0=${6:-1}
tmp=$out.tmp
first=1
for dir in "$root"/*/; do
    [ -f "$dir/samples.csv" ] || continue
    for budget in $budgets; do
        for strategy in racing halving random grid; do
            "$bin" tune --search $strategy --budget "$budget" --replay "$dir" --seed "$seed0" \
                --replays "$seeds" --format csv > "$tmp.one"
            if [ $first = 1 ]; then
                cat "$tmp.one" > "$tmp"
                first=0
            else
                tail -n +2 "$tmp.one" >> "$tmp"
            fi
        done
    done
done
rm -f "$tmp.one"
mv "$tmp" "$out"
