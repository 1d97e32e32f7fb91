#!/bin/bash
# The rounds of README.md: 4 rounds, each 10 trials per order with the burst,
# then the same trials (same seed) without it (--hogs 0). Run from the
# repository root after building; the runs go to aa/.
mkdir -p aa
for r in 1 2 3 4; do
  for kind in burst ctl; do
    h=2; [ $kind = ctl ] && h=0
    echo "$(date +%T) round $r $kind load $(cut -d' ' -f1 /proc/loadavg)" >> aa/rounds.log
    scripts/aa-burst.sh --ompsweep build/cli/ompsweep --trials 10 --order sequential,shuffled \
      --seed $((100 + r)) --hogs $h --out aa/r$r-$kind > aa/r$r-$kind.out 2> aa/r$r-$kind.err
  done
done
echo "$(date +%T) end load $(cut -d' ' -f1 /proc/loadavg)" >> aa/rounds.log
