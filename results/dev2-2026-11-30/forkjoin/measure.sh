#!/bin/sh
# measure.sh OMPSWEEP [ROUNDS]: the forkjoin kernels (gaps 10 us, 100 us,
# 1 ms; 200 regions each) on 2 threads under OMP_WAIT_POLICY=active, passive and unset
# (default), in ROUNDS interleaved rounds (default 5); one `ompsweep run` per
# round and policy, each appended to rounds.csv (policy, round, kernel,
# gap_us, median_s, cpu_per_wall, verified, and the 1-minute load average
# before the run: the machine is shared). summarise.py makes forkjoin.csv.
set -eu
osw=$1
rounds=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "policy,round,kernel,gap_us,median_s,cpu_per_wall,verified,load1" >"$here/rounds.csv"
r=1
while [ "$r" -le "$rounds" ]; do
    for policy in active passive default; do
        load=$(cut -d' ' -f1 /proc/loadavg)
        if [ "$policy" = default ]; then
            env -u OMP_WAIT_POLICY "$osw" run --kernels forkjoin,forkjoin_100us,forkjoin_1ms \
                --sizes 4e6 --threads 2 --schedules static --reps 5 --quiet --out "$tmp/$policy-$r" 2>/dev/null
        else
            OMP_WAIT_POLICY=$policy "$osw" run --kernels forkjoin,forkjoin_100us,forkjoin_1ms \
                --sizes 4e6 --threads 2 --schedules static --reps 5 --quiet --out "$tmp/$policy-$r" 2>/dev/null
        fi
        /usr/bin/python3 - "$tmp/$policy-$r/summary.csv" "$policy" "$r" "$load" >>"$here/rounds.csv" <<'PY'
import csv, sys
gaps = {"forkjoin": 10, "forkjoin_100us": 100, "forkjoin_1ms": 1000}
for row in csv.DictReader(open(sys.argv[1])):
    print(f"{sys.argv[2]},{sys.argv[3]},{row['kernel']},{gaps[row['kernel']]},"
          f"{row['median_s']},{row['cpu_per_wall']},{row['verified']},{sys.argv[4]}")
PY
    done
    r=$((r + 1))
done
