#!/bin/sh
# Draws every ompsweep figure from one summary.csv.
# Usage: plots/draw-all.sh SUMMARY_CSV OUTDIR [LABEL]
#   Writes OUTDIR/<figure>-<kernel>.png and .svg for each figure script
#   (speedup efficiency overhead bandwidth schedules size imbalance; overhead
#   draws only the kernel `empty`, which speedup and efficiency skip). LABEL names the
#   machine in the titles; without it the scripts read meta.json next to the
#   CSV. GNUPLOT overrides the gnuplot binary; OSW_PLOTS_DEBUG=1 also writes
#   OUTDIR/<figure>-<kernel>.dat with the data each figure drew.
# Exit status: 0 when every script succeeded (a script that has nothing to draw
# succeeds), 1 when any failed, 2 on bad arguments or no gnuplot.
set -u

usage() { echo "usage: $0 SUMMARY_CSV OUTDIR [LABEL]" >&2; exit 2; }
[ $# -ge 2 ] && [ $# -le 3 ] || usage
csv=$1
outdir=$2
[ -n "$csv" ] && [ -n "$outdir" ] || usage
[ -r "$csv" ] || { echo "draw-all: cannot read $csv" >&2; usage; }
gnuplot=${GNUPLOT:-gnuplot}
command -v "$gnuplot" >/dev/null 2>&1 || {
    echo "draw-all: $gnuplot not found (scripts/install-deps.sh installs gnuplot-nox)" >&2
    exit 2
}
# The figure scripts, style.gp and osw.awk lie next to this script (plots/ in
# the source tree, share/ompsweep/plots when installed), also when it is run
# through a symbolic link.
self=$0
while [ -L "$self" ]; do
    link=$(readlink "$self") || exit 2
    case $link in
    /*) self=$link ;;
    *) self=$(dirname "$self")/$link ;;
    esac
done
here=$(CDPATH='' cd -- "$(dirname -- "$self")" && pwd) || exit 2
mkdir -p "$outdir" || exit 2

failed=""
for fig in speedup efficiency overhead bandwidth schedules size imbalance; do
    if [ $# -ge 3 ]; then
        "$gnuplot" -c "$here/$fig.gp" "$csv" "$outdir/$fig" "$3" || failed="$failed $fig"
    else
        "$gnuplot" -c "$here/$fig.gp" "$csv" "$outdir/$fig" || failed="$failed $fig"
    fi
done
if [ -n "$failed" ]; then
    echo "draw-all: failed:$failed" >&2
    exit 1
fi
echo "draw-all: figures in $outdir" >&2
exit 0
