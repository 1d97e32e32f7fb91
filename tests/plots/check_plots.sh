#!/bin/sh
# Test driver for the gnuplot figure scripts in plots/ (CTest label: plots).
# Usage: check_plots.sh CASE PLOTS_DIR FIXTURES_DIR WORK_DIR
#   CASE: speedup | efficiency | bandwidth | schedules | size | imbalance
#         (draw that figure from the fixture and check it), missing-column,
#         usage, skip, draw-all, overhead (the kernel empty), styles (the series styles of style.gp).
#   GNUPLOT (environment) names the gnuplot binary; exit 77 (skipped) when it
#   is not there.
# The fixture has kernels mean_f64, vector_add, triad (memory-bound) and
# random_cost (cpu-bound) and one row with verified=0 whose values are absurd
# (vector_add, 8 threads, dynamic,16: speedup 1000.5, 3987.6 GB/s, ...).
set -u

[ $# -eq 4 ] || { echo "usage: $0 CASE PLOTS_DIR FIXTURES_DIR WORK_DIR" >&2; exit 2; }
case_=$1
plots=$2
fixtures=$3
work=$4
gp=${GNUPLOT:-gnuplot}
if ! command -v "$gp" >/dev/null 2>&1; then
    echo "SKIP: gnuplot not found (scripts/install-deps.sh installs gnuplot-nox)"
    exit 77
fi
csv=$fixtures/summary-fixture.csv
[ -r "$csv" ] && [ -r "$fixtures/meta-fixture.json" ] || { echo "FAIL: fixture missing in $fixtures"; exit 1; }
rm -rf "$work"
mkdir -p "$work" || exit 1

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

# The unverified row's values; none may reach any figure's data.
absurd="1000.5 3987.6 4031.1 990.25 1010.75 1.01e-07 9.99e-08 1.02e-07 125.062 0.9731 7.913"

png_ok() {
    [ -s "$1" ] || return 1
    [ "$(od -An -tx1 -N8 "$1" | tr -d ' \n')" = "89504e470d0a1a0a" ]
}
svg_ok() { [ -s "$1" ] && grep -q "<svg" "$1"; }

# drop_column NAME < csv > csv: remove a column by its header name
drop_column() {
    awk -F, -v name="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i }
        { s = ""; for (i = 1; i <= NF; i++) if (i != c) s = s (s == "" ? "" : ",") $i; print s }'
}

no_warnings() { # STDERR_FILE WHAT
    if grep -qi "warning" "$1"; then fail "$2: gnuplot printed a warning:"; sed 's/^/    /' "$1"
    else ok "$2: no warnings"; fi
}

# check_figure SCRIPT "EXPECTED KERNELS" "KERNELS THAT MUST NOT APPEAR" RANGE_CHECK
# RANGE_CHECK is an awk condition on lo, hi (the y range drawn for vector_add).
check_figure() {
    s=$1
    err=$work/$s.stderr
    OSW_PLOTS_DEBUG=1 "$gp" -c "$plots/$s.gp" "$csv" "$work/$s" 2>"$err"
    rc=$?
    [ $rc -eq 0 ] && ok "$s: exit status 0" || { fail "$s: exit status $rc"; cat "$err"; }
    no_warnings "$err" "$s"
    for k in $2; do
        png_ok "$work/$s-$k.png" && ok "$s-$k.png is a PNG" || fail "$s-$k.png missing, empty or not a PNG"
        svg_ok "$work/$s-$k.svg" && ok "$s-$k.svg is an SVG" || fail "$s-$k.svg missing, empty or no <svg"
        grep -q "fixturebox" "$work/$s-$k.svg" || fail "$s-$k.svg: machine name from meta-fixture.json not in the title"
        dat=$work/$s-$k.dat
        if [ ! -s "$dat" ] || [ "$(grep -vc '^#' "$dat")" -lt 2 ]; then
            fail "$s-$k.dat (OSW_PLOTS_DEBUG dump) missing or without data rows"
        fi
        for v in $absurd; do
            if grep -qw -- "$v" "$dat" 2>/dev/null; then fail "$s-$k: the unverified row's value $v reached the figure data"; fi
        done
    done
    for k in $3; do
        [ -e "$work/$s-$k.png" ] && fail "$s-$k.png drawn although $k does not belong in this figure"
    done
    # the y range drawn for vector_add (the kernel with the absurd row)
    dat=$work/$s-vector_add.dat
    if [ -s "$dat" ]; then
        if awk "/yrange/ { for (i = 1; i < NF; i++) if (\$i == \"yrange\") { lo = \$(i + 1); hi = \$(i + 2) } }
                END { if (lo == \"\" || hi == \"\") exit 1; exit !($4) }" "$dat"; then
            ok "$s: vector_add y range sane ($(grep yrange "$dat" | sed 's/.*yrange/yrange/'))"
        else
            fail "$s: vector_add y range blown up or missing: $(grep yrange "$dat")"
        fi
        grep -q "failed verification" "$work/$s-vector_add.svg" \
            && ok "$s: vector_add names its unverified row in a note" \
            || fail "$s: vector_add figure lacks the note on the unverified row"
    fi
}

all="mean_f64 vector_add triad random_cost"
case $case_ in
speedup)    check_figure speedup "$all" "" "hi + 0 < 20 && lo + 0 > 0.1" ;;
efficiency) check_figure efficiency "$all" "" "hi + 0 < 2" ;;
bandwidth)  check_figure bandwidth "mean_f64 vector_add triad" "random_cost" "hi + 0 < 100"
            grep -q "ceiling: triad, n = 16777216" "$work/bandwidth-vector_add.dat" \
                && ok "bandwidth: vector_add has the same-n triad ceiling" || fail "bandwidth: vector_add lacks the same-n triad ceiling"
            # triad only at n = 1024: the n = 2^24 figures say so and draw no ceiling
            grep -v '^triad,16777216,' "$csv" >"$work/summary-notriad.csv"
            OSW_PLOTS_DEBUG=1 "$gp" -c "$plots/bandwidth.gp" "$work/summary-notriad.csv" "$work/nt" 2>"$work/nt.stderr" \
                || { fail "bandwidth without a same-n triad: exit status $?"; cat "$work/nt.stderr"; }
            for k in mean_f64 vector_add; do
                if grep -q "no triad at this n: no ceiling" "$work/nt-$k.svg" && grep -q "ceiling: none" "$work/nt-$k.dat" \
                    && ! grep -q "triad peak" "$work/nt-$k.svg"; then
                    ok "bandwidth: $k without a same-n triad says so in its title and draws no ceiling"
                else
                    fail "bandwidth: $k without a same-n triad: title or ceiling wrong"
                fi
            done ;;
schedules)  check_figure schedules "$all" "" "hi + 0 < 100"
            # dynamic,16 at 8 threads exists only as the unverified row
            grep -q "dynamic,16" "$work/schedules-vector_add.dat" \
                && fail "schedules: vector_add shows a dynamic,16 bar at 8 threads (only an unverified row has it)"
            # an explicit thread count
            "$gp" -c "$plots/schedules.gp" "$csv" "$work/sched2" "" 2 2>"$work/sched2.stderr" \
                && png_ok "$work/sched2-triad.png" && grep -q "at 2 threads" "$work/sched2-triad.svg" \
                && ok "schedules: THREADS argument honoured" || fail "schedules: THREADS=2 did not draw at 2 threads"
            no_warnings "$work/sched2.stderr" "schedules (THREADS=2)"
            # the y label names the unit the ticks are scaled to (the dump says which)
            for k in $all; do
                u=$(sed -n 's/.*yrange [^ ]* [^ ]* (\(.*\))$/\1/p' "$work/schedules-$k.dat")
                if [ -n "$u" ] && grep -q "median time per run \[$u\]" "$work/schedules-$k.svg"; then
                    ok "schedules-$k: y label in $u, as the ticks"
                else
                    fail "schedules-$k: y label does not name the tick unit '$u'"
                fi
            done ;;
size)       check_figure size "$all" "" "lo + 0 > 5e-7"
            grep -q "break-even" "$work/size-random_cost.svg" \
                && ok "size: break-even size marked" || fail "size: random_cost figure does not mark where parallel loses"
            # the ticks carry their unit (10 µs, 1 ms, ...): the y label names no other
            for k in $all; do
                if grep -q '>[0-9.]* [nµm]*s<' "$work/size-$k.svg" && ! grep -q 'median time per run \[' "$work/size-$k.svg"; then
                    ok "size-$k: ticks carry the time unit, the y label names none"
                else
                    fail "size-$k: y label and tick units disagree"
                fi
            done ;;
imbalance)  check_figure imbalance "$all" "" "hi + 0 < 0.9" ;;
styles)
    # style.gp's series styles: the first 16 differ pairwise in at least two
    # of colour/dash type/point type, series 17..40 differ from their
    # neighbours in at least two, and gnuplot's linetypes 1..16 (show
    # linetype) are 16 distinct definitions.
    {
        echo 'osw_fig = "styles"; osw_req = "kernel"; osw_args = ""; osw_maxargc = 3'
        echo "osw_arg0 = \"styles.gp\"; osw_argc = 2; osw_a1 = \"$csv\"; osw_a2 = \"$work/st\"; osw_a3 = \"\"; osw_a4 = \"\""
        echo "osw_dir = \"$plots\""
        echo 'load osw_dir . "/style.gp"'
    } >"$work/load.gp"
    {
        cat "$work/load.gp"
        echo "set print \"$work/styles.txt\""
        echo 'do for [i = 1:40] { j = (i - 1) % osw_nstyles + 1; print sprintf("%d %s %d %d", i, osw_lcol(j), osw_ldt(j), osw_lpt(j)) }'
        echo 'unset print'
    } >"$work/styles.gp"
    "$gp" "$work/styles.gp" 2>"$work/err" || { fail "style.gp did not load"; cat "$work/err"; }
    no_warnings "$work/err" "styles"
    if [ "$(wc -l <"$work/styles.txt" 2>/dev/null)" -eq 40 ]; then
        awk '{ c[$1] = $2; d[$1] = $3; p[$1] = $4 }
             function diff(i, j) { return (c[i] != c[j]) + (d[i] != d[j]) + (p[i] != p[j]) }
             END { bad = 0
                   for (i = 1; i <= 16; i++) for (j = i + 1; j <= 16; j++)
                       if (diff(i, j) < 2) { print "FAIL: series " i " and " j " differ in fewer than two of colour/dash/point"; bad++ }
                   for (i = 1; i < 40; i++)
                       if (diff(i, i + 1) < 2) { print "FAIL: neighbours " i " and " i + 1 " differ in fewer than two of colour/dash/point"; bad++ }
                   exit bad > 0 }' "$work/styles.txt" \
            && ok "styles: series 1..16 pairwise, and neighbours up to 40, differ in at least two of colour/dash/point" \
            || fail "styles: series not distinguishable"
    else
        fail "styles: no style list printed"; cat "$work/styles.txt" 2>/dev/null
    fi
    { cat "$work/load.gp"; echo 'do for [i = 1:16] { show linetype i }'; } >"$work/showlt.gp"
    "$gp" "$work/showlt.gp" >"$work/showlt.txt" 2>&1
    n=$(grep -c "linetype" "$work/showlt.txt")
    u=$(grep "linetype" "$work/showlt.txt" | sed 's/^ *linetype [0-9]*,* *//' | sort -u | wc -l)
    if [ "$n" -eq 16 ] && [ "$u" -eq 16 ]; then ok "styles: show linetype 1..16 gives 16 distinct definitions"
    else fail "styles: show linetype 1..16: $n lines, $u distinct"; cat "$work/showlt.txt"; fi ;;
overhead)
    # the kernel `empty` (fork, dispatch, join) as time per region: overhead.gp
    # draws it in µs; speedup.gp and efficiency.gp skip it with a note. The CSV
    # is the fixture plus its mean_f64 rows renamed to empty.
    { cat "$csv"; grep '^mean_f64,' "$csv" | sed 's/^mean_f64,/empty,/'; } >"$work/summary-empty.csv"
    OSW_PLOTS_DEBUG=1 "$gp" -c "$plots/overhead.gp" "$work/summary-empty.csv" "$work/overhead" 2>"$work/err"
    rc=$?
    [ $rc -eq 0 ] && ok "overhead: exit status 0" || { fail "overhead: exit status $rc"; cat "$work/err"; }
    no_warnings "$work/err" "overhead"
    png_ok "$work/overhead-empty.png" && ok "overhead-empty.png is a PNG" || fail "overhead-empty.png missing or not a PNG"
    svg_ok "$work/overhead-empty.svg" && ok "overhead-empty.svg is an SVG" || fail "overhead-empty.svg missing or not an SVG"
    grep -q "µs" "$work/overhead-empty.svg" && ok "overhead: y axis in µs" || fail "overhead: no µs on the y axis"
    for k in mean_f64 vector_add triad random_cost; do
        [ -e "$work/overhead-$k.png" ] && fail "overhead drew $k (only empty belongs there)"
    done
    # the y range is in µs: its top lies between the largest median (at the
    # largest n) times 1e6 and twice that
    mx=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        $1 == "mean_f64" && $c["verified"] == 1 { if ($c["n"] + 0 > n) { n = $c["n"] + 0; m = 0 }
            if ($c["n"] + 0 == n && $c["median_s"] + 0 > m) m = $c["median_s"] + 0 }
        END { printf "%.9g", m * 1e6 }' "$csv")
    awk -v mx="$mx" '/yrange/ { for (i = 1; i < NF; i++) if ($i == "yrange") hi = $(i + 2) }
        END { exit !(mx + 0 > 0 && hi + 0 >= mx + 0 && hi + 0 < 2 * mx) }' \
        "$work/overhead-empty.dat" && ok "overhead: y range in µs ($(grep yrange "$work/overhead-empty.dat"))" \
        || fail "overhead: y range not in µs: $(grep yrange "$work/overhead-empty.dat")"
    for s in speedup efficiency; do
        "$gp" -c "$plots/$s.gp" "$work/summary-empty.csv" "$work/$s" 2>"$work/err"
        rc=$?
        if [ $rc -eq 0 ] && grep -q "no figure for empty" "$work/err" && [ ! -e "$work/$s-empty.png" ] \
            && png_ok "$work/$s-mean_f64.png"; then
            ok "$s.gp skips empty with a note and draws the rest"
        else
            fail "$s.gp and empty: exit $rc"; cat "$work/err"
        fi
    done
    # without empty rows: nothing drawn, exit 0
    "$gp" -c "$plots/overhead.gp" "$csv" "$work/none" 2>"$work/err" && ! ls "$work"/none-* >/dev/null 2>&1 \
        && ok "overhead: a CSV without empty draws nothing, exit 0" || fail "overhead: CSV without empty"
    no_warnings "$work/err" "overhead (no empty)" ;;
missing-column)
    drop_column speedup <"$csv" >"$work/summary-nospeedup.csv"
    "$gp" -c "$plots/speedup.gp" "$work/summary-nospeedup.csv" "$work/x" 2>"$work/err"
    rc=$?
    if [ $rc -ne 0 ] && grep -q "missing required column(s): speedup" "$work/err" && grep -q "^usage:" "$work/err"; then
        ok "speedup.gp without a speedup column: exit $rc, names the column, prints usage"
    else
        fail "speedup.gp without a speedup column: exit $rc, stderr:"; cat "$work/err"
    fi
    ls "$work"/x-* >/dev/null 2>&1 && fail "speedup.gp wrote figures from a CSV without speedup"
    drop_column verified <"$csv" >"$work/summary-noverified.csv"
    for s in speedup efficiency overhead bandwidth schedules size imbalance; do
        "$gp" -c "$plots/$s.gp" "$work/summary-noverified.csv" "$work/y-$s" 2>"$work/err"
        rc=$?
        if [ $rc -ne 0 ] && grep -q "missing required column(s):.*verified" "$work/err"; then
            ok "$s.gp without a verified column: exit $rc, names the column"
        else
            fail "$s.gp without a verified column: exit $rc"; cat "$work/err"
        fi
    done ;;
usage)
    for s in speedup efficiency overhead bandwidth schedules size imbalance; do
        "$gp" -c "$plots/$s.gp" 2>"$work/err" && fail "$s.gp with no arguments exited 0"
        grep -q "^usage: gnuplot -c .*$s.gp SUMMARY_CSV OUT_PREFIX" "$work/err" \
            && ok "$s.gp with no arguments: usage line" || { fail "$s.gp: no usage line"; cat "$work/err"; }
        "$gp" -c "$plots/$s.gp" "$work/does-not-exist.csv" "$work/z" 2>"$work/err" \
            && fail "$s.gp with a missing CSV exited 0" || ok "$s.gp with a missing CSV fails"
        "$gp" -c "$plots/$s.gp" "$csv" "$work/z" a b c d 2>"$work/err" \
            && fail "$s.gp with too many arguments exited 0" || ok "$s.gp with too many arguments fails"
    done
    "$gp" -c "$plots/schedules.gp" "$csv" "$work/z" "" eight 2>"$work/err" \
        && fail "schedules.gp THREADS=eight exited 0" || ok "schedules.gp rejects THREADS=eight" ;;
skip)
    # only 1-thread rows: no speedup, efficiency or imbalance line to draw
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "threads") c = i; print; next } $c == 1' \
        "$csv" >"$work/summary-one.csv"
    for s in speedup efficiency imbalance; do
        "$gp" -c "$plots/$s.gp" "$work/summary-one.csv" "$work/one-$s" 2>"$work/err"
        rc=$?
        if [ $rc -eq 0 ] && grep -q "no figure for" "$work/err" && ! ls "$work"/one-"$s"-* >/dev/null 2>&1; then
            ok "$s.gp with one thread count: skipped with a note, exit 0"
        else
            fail "$s.gp with one thread count: exit $rc"; cat "$work/err"
        fi
        no_warnings "$work/err" "$s (one thread count)"
    done
    # header only
    head -n 1 "$csv" >"$work/summary-empty.csv"
    for s in speedup efficiency overhead bandwidth schedules size imbalance; do
        "$gp" -c "$plots/$s.gp" "$work/summary-empty.csv" "$work/empty-$s" 2>"$work/err" \
            && ok "$s.gp with a header-only CSV: exit 0" || { fail "$s.gp with a header-only CSV failed"; cat "$work/err"; }
        no_warnings "$work/err" "$s (header only)"
    done ;;
draw-all)
    sh "$plots/draw-all.sh" "$csv" "$work/all" "test machine" 2>"$work/err"
    rc=$?
    n=$(ls "$work/all" | grep -c '\.png$')
    if [ $rc -eq 0 ] && [ "$n" -eq 23 ]; then ok "draw-all: exit 0, $n PNGs"
    else fail "draw-all: exit $rc, $n PNGs (want 23)"; cat "$work/err"; fi
    no_warnings "$work/err" "draw-all"
    grep -q "test machine" "$work/all/speedup-triad.svg" && ok "draw-all: LABEL in titles" \
        || fail "draw-all: LABEL not in the titles"
    drop_column imbalance <"$csv" >"$work/summary-noimb.csv"
    sh "$plots/draw-all.sh" "$work/summary-noimb.csv" "$work/bad" 2>"$work/err" \
        && fail "draw-all exited 0 although imbalance.gp failed" || ok "draw-all fails when a script fails"
    sh "$plots/draw-all.sh" 2>/dev/null && fail "draw-all without arguments exited 0" \
        || ok "draw-all without arguments fails" ;;
*)
    echo "unknown case: $case_" >&2
    exit 2 ;;
esac

if [ $fails -gt 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
exit 0
