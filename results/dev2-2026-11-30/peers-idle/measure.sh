#!/bin/bash
# measure.sh OMPSWEEP BABEL_OMP_STREAM OUT: issue 21's same-run peer and
# ceiling ratios on the idle machine, from the repository root: triad and
# triad_nt against the hand-written ceiling loops (bench/rounds.py; each
# kernel's samples back to back, then in interleaved rounds), the
# numpy workloads (bench/numpy_rounds.py, /usr/bin/python3's numpy) and
# mean_f64 against BabelStream's Dot (babel_dot.py). Load before and after
# each part in OUT/load.txt.
set -eu
osw=$1 babel=$2 out=$3 here=$(dirname "$0")
mkdir -p "$out"
uptime >>"$out/load.txt"
/usr/bin/python3 bench/rounds.py --ompsweep "$osw" \
    --pairs triad:ceiling_triad,triad_nt:ceiling_triad_nt,vector_add:vector_add_nt \
    --sizes 2^25 --threads 1,2 --rounds 6 --reps 10 --out "$out/triad" >"$out/triad.txt"
uptime >>"$out/load.txt"
/usr/bin/python3 bench/rounds.py --ompsweep "$osw" \
    --pairs triad:ceiling_triad,triad_nt:ceiling_triad_nt,vector_add:vector_add_nt \
    --sizes 2^25 --threads 1,2 --rounds 8 --reps 20 --order interleaved \
    --out "$out/triad-interleaved" >"$out/triad-interleaved.txt"
uptime >>"$out/load.txt"
/usr/bin/python3 bench/numpy_rounds.py --ompsweep "$osw" --n 2^25 --rounds 6 --reps 10 \
    --out "$out/numpy" >"$out/numpy.txt"
uptime >>"$out/load.txt"
/usr/bin/python3 "$here/babel_dot.py" "$osw" "$babel" "$out/babel-dot.csv" 10
uptime >>"$out/load.txt"
