#!/bin/sh
# Draws every ompsweep figure from one summary.csv: `ompsweep plotdata`
# reduces it once into tables (docs/plots.md), then one gnuplot per figure
# kind draws them.
# Usage: plots/draw-all.sh SUMMARY_CSV OUTDIR [LABEL]
#   Writes OUTDIR/<figure>-<kernel>.png and .svg for each figure script
#   (speedup efficiency overhead bandwidth schedules size imbalance; overhead
#   draws only the kernel `empty`, which speedup and efficiency skip). LABEL names the
#   machine in the titles; without it they name the machine of meta.json next
#   to the CSV. The ompsweep binary is $OMPSWEEP, else the one installed next
#   to these scripts (bin/ beside share/), else `ompsweep` on PATH. GNUPLOT
#   overrides the gnuplot binary. The tables go to a temporary folder, or to
#   OUTDIR/tables with OSW_PLOTS_DEBUG=1 (kept).
# Exit status: 0 when every script succeeded (a kind with nothing to draw
# succeeds), 1 when any failed, 2 on bad arguments or no gnuplot or ompsweep.
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
# The figure scripts and style.gp lie next to this script (plots/ in the
# source tree, share/ompsweep/plots when installed), also when it is run
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
osw=${OMPSWEEP:-}
[ -z "$osw" ] && [ -x "$here/../../../bin/ompsweep" ] && osw=$here/../../../bin/ompsweep
[ -z "$osw" ] && osw=$(command -v ompsweep 2>/dev/null)
[ -n "$osw" ] && [ -x "$osw" ] || {
    echo "draw-all: ompsweep not found: set OMPSWEEP=PATH/TO/ompsweep (it writes the tables the figures draw)" >&2
    exit 2
}
mkdir -p "$outdir" || exit 2
if [ "${OSW_PLOTS_DEBUG:-0}" != 0 ] && [ -n "${OSW_PLOTS_DEBUG:-}" ]; then
    tables=$outdir/tables
    mkdir -p "$tables" || exit 2
else
    tables=$(mktemp -d "${TMPDIR:-/tmp}/osw-plotdata.XXXXXX") || exit 2
    trap 'rm -rf "$tables"' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
fi

# one reducer run for every kind; a malformed CSV stops here
"$osw" plotdata "$csv" --out "$tables" || { echo "draw-all: ompsweep plotdata failed" >&2; exit 1; }
failed=""
for fig in speedup efficiency overhead bandwidth schedules size imbalance; do
    if [ $# -ge 3 ]; then
        "$gnuplot" -c "$here/$fig.gp" "$tables" "$outdir/$fig" "$3" || failed="$failed $fig"
    else
        "$gnuplot" -c "$here/$fig.gp" "$tables" "$outdir/$fig" || failed="$failed $fig"
    fi
done
# per-region figures where the run has regions.csv (exec --regions)
if [ -r "$(dirname -- "$csv")/regions.csv" ]; then
    if "$osw" plotdata "$csv" --kind regions --out "$tables"; then
        if [ $# -ge 3 ]; then
            "$gnuplot" -c "$here/regions.gp" "$tables" "$outdir/regions" "$3" || failed="$failed regions"
        else
            "$gnuplot" -c "$here/regions.gp" "$tables" "$outdir/regions" || failed="$failed regions"
        fi
    else
        failed="$failed regions"
    fi
fi
if [ -n "$failed" ]; then
    echo "draw-all: failed:$failed" >&2
    exit 1
fi
echo "draw-all: figures in $outdir" >&2
exit 0
