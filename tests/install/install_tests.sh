#!/bin/sh
# Test driver for `cmake --install` (CTest label: install).
# Usage: install_tests.sh CMAKE BUILD_DIR WORK_DIR [--program NAME]... [--man NAME]...
#   Installs BUILD_DIR into the prefix WORK_DIR/prefix and checks the installed
#   tree, run from outside the build tree:
#   - bin/ompsweep (and each --program NAME: bin/NAME) is there and runs;
#     `ompsweep list` lists triad; a small triad sweep writes a summary.csv
#     whose rows are verified;
#   - share/man/man1/NAME.1 for each --man NAME (the pages help2man made; none
#     when it was not found) has NAME and SYNOPSIS sections and renders with
#     groff without warnings (that part skipped, saying so, without groff);
#   - share/ompsweep/plots holds draw-all.sh, style.gp and the figure
#     scripts, and draw-all.sh, run from there and through a symbolic link
#     (finding bin/ompsweep beside share/ for its tables),
#     draws that summary.csv (skipped, saying so, without gnuplot).
#   GNUPLOT (environment) names the gnuplot binary.
# Exit 0 pass, 1 fail, 2 bad arguments.
set -u

usage() { echo "usage: $0 CMAKE BUILD_DIR WORK_DIR [--program NAME]... [--man NAME]..." >&2; exit 2; }
[ $# -ge 3 ] || usage
cmake=$1 build=$2 work=$3
shift 3
programs=ompsweep
pages=""
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || usage
    case $1 in
    --program) programs="$programs $2" ;;
    --man) pages="$pages $2" ;;
    *) usage ;;
    esac
    shift 2
done

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
skip() { echo "skip: $*"; }

rm -rf "$work"
mkdir -p "$work" || exit 1
prefix=$work/prefix
unset DESTDIR OMP_NUM_THREADS OMP_SCHEDULE

if "$cmake" --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1; then
    ok "cmake --install $build --prefix $prefix"
else
    fail "cmake --install exited $?:"
    sed 's/^/    /' "$work/install.log"
    exit 1
fi
cd "$work" || exit 1

# ---- the programs --------------------------------------------------------------
for p in $programs; do
    if [ -x "$prefix/bin/$p" ]; then ok "bin/$p installed"; else fail "bin/$p missing"; fi
done
osw=$prefix/bin/ompsweep
[ -x "$osw" ] || exit 1

if "$osw" --version >version.txt 2>&1 && grep -q '^ompsweep [0-9]' version.txt; then
    ok "ompsweep --version: $(head -n 1 version.txt)"
else
    fail "ompsweep --version:"; sed 's/^/    /' version.txt
fi

"$osw" list >list.txt 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -qw triad list.txt; then
    ok "ompsweep list lists triad"
else
    fail "ompsweep list exited $rc (expected 0 and triad listed):"; sed 's/^/    /' list.txt
fi

out=$work/out
"$osw" run --kernels triad --sizes 1000 --threads 1 --reps 2 --quiet --out "$out" 2>run.stderr
rc=$?
summary=$out/summary.csv
if [ $rc -ne 0 ]; then
    fail "ompsweep run exited $rc, expected 0:"; sed 's/^/    /' run.stderr
elif [ ! -s "$summary" ]; then
    fail "ompsweep run wrote no $summary"
else
    # The header names kernel and verified; every row is triad with verified=1.
    rows=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "kernel") k = i; if ($i == "verified") v = i }
                              if (!k || !v) { err = "no-header"; exit } next }
                    $k != "triad" || $v != 1 { err = "bad row " NR; exit }
                    END { if (err != "") print err; else if (NR > 1) print NR - 1 }' "$summary")
    case $rows in
    "" | no-header | bad*)
        fail "summary.csv: expected a header with kernel and verified, then triad rows with verified=1 (${rows:-no rows}):"
        sed 's/^/    /' "$summary" ;;
    *) ok "ompsweep run: summary.csv has a header and $rows verified triad row(s)" ;;
    esac
fi

# ---- the man pages -------------------------------------------------------------
if [ -z "$pages" ]; then
    skip "man pages: help2man was not found at configure time, so none were made"
fi
for m in $pages; do
    page=$prefix/share/man/man1/$m.1
    if [ ! -s "$page" ]; then
        fail "share/man/man1/$m.1 missing"
        continue
    fi
    if grep -q '^\.SH NAME' "$page" && grep -q '^\.SH SYNOPSIS' "$page"; then
        ok "share/man/man1/$m.1 installed, with NAME and SYNOPSIS"
    else
        fail "share/man/man1/$m.1 lacks a NAME or SYNOPSIS section"
    fi
    if ! command -v groff >/dev/null 2>&1; then
        skip "$m.1 not rendered: groff not found (Debian: groff-base)"
        continue
    fi
    LC_ALL=C.UTF-8 groff -man -Tutf8 -ww "$page" >"$m.txt" 2>"$m.groff"
    rc=$?
    if [ $rc -eq 0 ] && [ ! -s "$m.groff" ] && grep -q "$m" "$m.txt"; then
        ok "$m.1 renders (groff -man -Tutf8 -ww) without warnings"
    else
        fail "$m.1: groff exited $rc:"; sed 's/^/    /' "$m.groff"
    fi
done

# ---- the figure scripts --------------------------------------------------------
plots=$prefix/share/ompsweep/plots
for f in style.gp speedup.gp efficiency.gp overhead.gp bandwidth.gp schedules.gp size.gp imbalance.gp mpi-grid.gp; do
    [ -r "$plots/$f" ] || fail "share/ompsweep/plots/$f missing"
done
if [ -x "$plots/draw-all.sh" ]; then
    ok "share/ompsweep/plots/draw-all.sh installed"
else
    fail "share/ompsweep/plots/draw-all.sh missing or not executable"
fi
gp=${GNUPLOT:-gnuplot}
if ! command -v "$gp" >/dev/null 2>&1; then
    skip "draw-all.sh not run: gnuplot not found (scripts/install-deps.sh installs gnuplot-nox)"
elif [ -s "$summary" ] && [ -x "$plots/draw-all.sh" ]; then
    mkdir -p bin && ln -s "$plots/draw-all.sh" bin/draw-all
    for how in direct link; do
        if [ $how = direct ]; then cmd=$plots/draw-all.sh; else cmd=$work/bin/draw-all; fi
        GNUPLOT=$gp "$cmd" "$summary" "$work/figures-$how" "install test" >"draw-$how.log" 2>&1
        rc=$?
        png=$work/figures-$how/bandwidth-triad.png
        if [ $rc -eq 0 ] && [ -s "$png" ] &&
           [ "$(od -An -tx1 -N8 "$png" | tr -d ' \n')" = "89504e470d0a1a0a" ]; then
            ok "draw-all.sh ($how) drew figures-$how/bandwidth-triad.png"
        else
            fail "draw-all.sh ($how) exited $rc (expected 0 and a bandwidth-triad.png):"
            sed 's/^/    /' "draw-$how.log"
        fi
    done
fi

if [ $fails -ne 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
exit 0
