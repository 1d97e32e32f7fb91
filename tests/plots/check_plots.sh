#!/bin/sh
# Test driver for the figures: `ompsweep plotdata` (the reducer) and the
# gnuplot scripts in plots/ that draw its tables (CTest label: plots).
# Usage: check_plots.sh CASE PLOTS_DIR FIXTURES_DIR WORK_DIR OMPSWEEP
#   CASE: speedup | efficiency | bandwidth | schedules | size | imbalance
#         (reduce the fixture, draw that figure and check it), missing-column,
#         usage, skip, draw-all, overhead (the kernel empty), styles (the
#         series styles of style.gp), tables (the reducer's tables against
#         independent arithmetic and against `ompsweep tune`: check_tables.py).
#   GNUPLOT (environment) names the gnuplot binary; exit 77 (skipped) when it
#   is not there (tables needs none).
# The fixture has kernels mean_f64, vector_add, triad (memory-bound) and
# random_cost (cpu-bound) and one row with verified=0 whose values are absurd
# (vector_add, 8 threads, dynamic,16: speedup 1000.5, 3987.6 GB/s, ...).
set -u

[ $# -eq 5 ] || { echo "usage: $0 CASE PLOTS_DIR FIXTURES_DIR WORK_DIR OMPSWEEP" >&2; exit 2; }
case_=$1
plots=$2
fixtures=$3
work=$4
osw=$5
gp=${GNUPLOT:-gnuplot}
if [ "$case_" != tables ] && ! command -v "$gp" >/dev/null 2>&1; then
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

# reduce CSV TABLEDIR [KIND]: ompsweep plotdata, its notes to TABLEDIR.notes
reduce() {
    "$osw" plotdata "$1" --out "$2" ${3:+--kind "$3"} 2>"$2.notes"
}

# index_val TABLE VAR KERNEL: VAR of KERNEL's figure in TABLEDIR/KIND.gp (the
# main one where there are several: schedules, mpi-grid)
index_val() {
    awk -v var="$2" -v k="$3" '
        function at(s) { sub(/^[^[]*\[/, "", s); sub(/\].*$/, "", s); return s }
        /^pd_kernel\[/ { v = $0; sub(/^[^"]*"/, "", v); sub(/"$/, "", v); kern[at($1)] = v }
        /^pd_main\[/ { main[at($1)] = $3 }
        index($0, var "[") == 1 { v = $0; sub(/^[^=]*= /, "", v); val[at($1)] = v }
        END { for (i in kern) if (kern[i] == k && (!(i in main) || main[i] == 1)) { print val[i]; exit } }' "$1"
}

# check_figure SCRIPT "EXPECTED KERNELS" "KERNELS THAT MUST NOT APPEAR" RANGE_CHECK
# RANGE_CHECK is an awk condition on lo, hi (the y range drawn for vector_add).
check_figure() {
    s=$1
    err=$work/$s.stderr
    t=$work/tables
    reduce "$csv" "$t" "$s" || { fail "$s: ompsweep plotdata exited $?"; cat "$t.notes"; }
    "$gp" -c "$plots/$s.gp" "$t" "$work/$s" 2>"$err"
    rc=$?
    [ $rc -eq 0 ] && ok "$s: exit status 0" || { fail "$s: exit status $rc"; cat "$err"; }
    no_warnings "$err" "$s"
    for k in $2; do
        png_ok "$work/$s-$k.png" && ok "$s-$k.png is a PNG" || fail "$s-$k.png missing, empty or not a PNG"
        svg_ok "$work/$s-$k.svg" && ok "$s-$k.svg is an SVG" || fail "$s-$k.svg missing, empty or no <svg"
        grep -q "fixturebox" "$work/$s-$k.svg" || fail "$s-$k.svg: machine name from meta-fixture.json not in the title"
        dat=$t/$(index_val "$t/$s.gp" pd_data "$k" | tr -d '"')
        if [ ! -s "$dat" ] || [ "$(grep -v '^#' "$dat" | grep -c .)" -lt 2 ]; then
            fail "$s-$k: table $dat missing or without data rows"
        fi
    done
    for v in $absurd; do
        if grep -qw -- "$v" "$t"/*.dat "$t/$s.gp" 2>/dev/null; then fail "$s: the unverified row's value $v reached the tables"; fi
    done
    for k in $3; do
        [ -e "$work/$s-$k.png" ] && fail "$s-$k.png drawn although $k does not belong in this figure"
    done
    # the y range drawn for vector_add (the kernel with the absurd row)
    lo=$(index_val "$t/$s.gp" pd_y0 vector_add)
    hi=$(index_val "$t/$s.gp" pd_y1 vector_add)
    if [ -z "$hi" ]; then
        fail "$s: no y range for vector_add in $t/$s.gp"
    else
        if awk -v lo="$lo" -v hi="$hi" "BEGIN { exit !($4) }"; then
            ok "$s: vector_add y range sane ($lo .. $hi)"
        else
            fail "$s: vector_add y range blown up: $lo .. $hi"
        fi
        grep -q "failed verification" "$work/$s-vector_add.svg" \
            && ok "$s: vector_add names its unverified row in a note" \
            || fail "$s: vector_add figure lacks the note on the unverified row"
    fi
}

all="mean_f64 vector_add triad random_cost"
case $case_ in
speedup)    check_figure speedup "$all" "" "hi + 0 < 20 && lo + 0 > 0.1"
            grep -q "f = 0" "$work/speedup-triad.svg" && ok "speedup: Amdahl fit in the key" \
                || fail "speedup: no Amdahl fit in the key (4 thread counts)"
            # two thread counts: no fit, and the key says why
            awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "threads") c = i; print; next }
                $c == 1 || $c == 2' "$csv" >"$work/summary-two.csv"
            reduce "$work/summary-two.csv" "$work/t2" speedup && "$gp" -c "$plots/speedup.gp" "$work/t2" "$work/two" 2>"$work/err"
            if grep -q "no Amdahl fit (2 thread counts; it needs 3)" "$work/two-triad.svg" \
                && ! grep -q "f = 0" "$work/two-triad.svg"; then
                ok "speedup: with 2 thread counts no fit, and the key says why"
            else
                fail "speedup: 2 thread counts drew a fit or said nothing"
            fi ;;
efficiency) check_figure efficiency "$all" "" "hi + 0 < 2" ;;
bandwidth)  check_figure bandwidth "mean_f64 vector_add triad" "random_cost" "hi + 0 < 100"
            grep -q "# ceiling: triad, best run, same n" "$work/tables/bandwidth-vector_add.dat" \
                && ok "bandwidth: vector_add has the same-n triad ceiling" || fail "bandwidth: vector_add lacks the same-n triad ceiling"
            grep -q "triad peak" "$work/bandwidth-vector_add.svg" && ok "bandwidth: the ceiling is drawn" \
                || fail "bandwidth: no triad peak drawn"
            # triad only at n = 1024: the n = 2^24 figures say so and draw no ceiling
            grep -v '^triad,16777216,' "$csv" >"$work/summary-notriad.csv"
            reduce "$work/summary-notriad.csv" "$work/nt-t" bandwidth \
                && "$gp" -c "$plots/bandwidth.gp" "$work/nt-t" "$work/nt" 2>"$work/nt.stderr" \
                || { fail "bandwidth without a same-n triad: exit status $?"; cat "$work/nt.stderr"; }
            for k in mean_f64 vector_add; do
                if grep -q "no triad at this n: no ceiling" "$work/nt-$k.svg" && grep -q "ceiling: none" "$work/nt-t/bandwidth-$k.dat" \
                    && ! grep -q "triad peak" "$work/nt-$k.svg"; then
                    ok "bandwidth: $k without a same-n triad says so in its title and draws no ceiling"
                else
                    fail "bandwidth: $k without a same-n triad: title or ceiling wrong"
                fi
            done
            # a working set within 2 x the last-level cache: the note says it measures cache
            printf '{"host": "fixturebox", "llc_bytes": 268435456}\n' >"$work/meta-llc.json"
            cp "$csv" "$work/summary-llc.csv"
            reduce "$work/summary-llc.csv" "$work/llc-t" bandwidth \
                && "$gp" -c "$plots/bandwidth.gp" "$work/llc-t" "$work/llc" 2>"$work/err"
            grep -q "measures cache, not memory" "$work/llc-triad.svg" \
                && ok "bandwidth: LLC note when the working set fits in the cache" || fail "bandwidth: no LLC note"
            grep -q "measures cache" "$work/bandwidth-triad.svg" \
                && fail "bandwidth: LLC note without an llc_bytes in meta.json" || true ;;
schedules)  check_figure schedules "$all" "" "hi + 0 < 100"
            # dynamic,16 at 8 threads exists only as the unverified row
            grep -q "dynamic,16" "$work/tables/schedules-vector_add-8.dat" \
                && fail "schedules: vector_add shows a dynamic,16 bar at 8 threads (only an unverified row has it)"
            # an explicit thread count
            "$gp" -c "$plots/schedules.gp" "$work/tables" "$work/sched2" "" 2 2>"$work/sched2.stderr" \
                && png_ok "$work/sched2-triad.png" && grep -q "at 2 threads" "$work/sched2-triad.svg" \
                && ok "schedules: THREADS argument honoured" || fail "schedules: THREADS=2 did not draw at 2 threads"
            no_warnings "$work/sched2.stderr" "schedules (THREADS=2)"
            # the y label names the unit the ticks are scaled to (the table says which)
            for k in $all; do
                u=$(index_val "$work/tables/schedules.gp" pd_unit "$k" | tr -d '"')
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
tables)
    /usr/bin/python3 "$(dirname "$0")/check_tables.py" "$osw" "$csv" "$work" || fail "check_tables.py" ;;
styles)
    # style.gp's series styles: the first 16 differ pairwise in at least two
    # of colour/dash type/point type, series 17..40 differ from their
    # neighbours in at least two, and gnuplot's linetypes 1..16 (show
    # linetype) are 16 distinct definitions.
    reduce "$csv" "$work/t" speedup || fail "ompsweep plotdata exited $?"
    {
        echo 'osw_fig = "speedup"; osw_args = ""; osw_maxargc = 3'
        echo "osw_arg0 = \"styles.gp\"; osw_argc = 2; osw_a1 = \"$work/t\"; osw_a2 = \"$work/st\"; osw_a3 = \"\"; osw_a4 = \"\""
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
    # draws it in µs; speedup and efficiency leave it out with a note. The CSV
    # is the fixture plus its mean_f64 rows renamed to empty.
    { cat "$csv"; grep '^mean_f64,' "$csv" | sed 's/^mean_f64,/empty,/'; } >"$work/summary-empty.csv"
    reduce "$work/summary-empty.csv" "$work/t" || fail "ompsweep plotdata exited $?"
    "$gp" -c "$plots/overhead.gp" "$work/t" "$work/overhead" 2>"$work/err"
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
    hi=$(index_val "$work/t/overhead.gp" pd_y1 empty)
    awk -v mx="$mx" -v hi="$hi" 'BEGIN { exit !(mx + 0 > 0 && hi + 0 >= mx + 0 && hi + 0 < 2 * mx) }' \
        && ok "overhead: y range in µs (top $hi, largest median $mx µs)" || fail "overhead: y range not in µs: top $hi, median $mx µs"
    for s in speedup efficiency; do
        "$gp" -c "$plots/$s.gp" "$work/t" "$work/$s" 2>"$work/err"
        rc=$?
        if [ $rc -eq 0 ] && grep -q "$s: no figure for empty" "$work/t.notes" && [ ! -e "$work/$s-empty.png" ] \
            && png_ok "$work/$s-mean_f64.png"; then
            ok "$s leaves out empty with a note and draws the rest"
        else
            fail "$s and empty: exit $rc"; cat "$work/err" "$work/t.notes"
        fi
    done
    # without empty rows: nothing drawn, exit 0
    reduce "$csv" "$work/t0" overhead && "$gp" -c "$plots/overhead.gp" "$work/t0" "$work/none" 2>"$work/err" \
        && ! ls "$work"/none-* >/dev/null 2>&1 && grep -q "overhead: nothing to draw" "$work/t0.notes" \
        && ok "overhead: a CSV without empty draws nothing, exit 0" || fail "overhead: CSV without empty"
    no_warnings "$work/err" "overhead (no empty)" ;;
missing-column)
    for col in speedup verified; do
        drop_column $col <"$csv" >"$work/summary-no$col.csv"
        "$osw" plotdata "$work/summary-no$col.csv" --out "$work/x-$col" 2>"$work/err"
        rc=$?
        if [ $rc -eq 2 ] && grep -q "missing required column '$col'" "$work/err" && [ "$(wc -l <"$work/err")" -eq 1 ]; then
            ok "plotdata without a $col column: exit 2, one line naming the column"
        else
            fail "plotdata without a $col column: exit $rc, stderr:"; cat "$work/err"
        fi
        ls "$work/x-$col"/*.dat >/dev/null 2>&1 && fail "plotdata wrote tables from a CSV without $col"
    done
    "$osw" plotdata "$work/does-not-exist" 2>"$work/err"
    [ $? -eq 2 ] && [ "$(wc -l <"$work/err")" -eq 1 ] && ok "plotdata on a missing directory: exit 2, one line" \
        || { fail "plotdata on a missing directory"; cat "$work/err"; }
    "$osw" plotdata "$csv" --kind nonsense --out "$work/k" 2>"$work/err"
    [ $? -eq 2 ] && grep -q "kind 'nonsense'" "$work/err" && ok "plotdata --kind nonsense: exit 2" \
        || { fail "plotdata --kind nonsense"; cat "$work/err"; } ;;
usage)
    for s in speedup efficiency overhead bandwidth schedules size imbalance mpi-grid; do
        "$gp" -c "$plots/$s.gp" 2>"$work/err" && fail "$s.gp with no arguments exited 0"
        grep -q "^usage: gnuplot -c .*$s.gp TABLEDIR OUT_PREFIX" "$work/err" \
            && ok "$s.gp with no arguments: usage line" || { fail "$s.gp: no usage line"; cat "$work/err"; }
        "$gp" -c "$plots/$s.gp" "$work/no-tables" "$work/z" 2>"$work/err"
        rc=$?
        [ $rc -eq 3 ] && grep -q "ompsweep plotdata" "$work/err" \
            && ok "$s.gp without tables: exit 3, says how to make them" || { fail "$s.gp without tables: exit $rc"; cat "$work/err"; }
        "$gp" -c "$plots/$s.gp" "$work/no-tables" "$work/z" a b c d 2>"$work/err" \
            && fail "$s.gp with too many arguments exited 0" || ok "$s.gp with too many arguments fails"
    done
    reduce "$csv" "$work/t" schedules
    "$gp" -c "$plots/schedules.gp" "$work/t" "$work/z" "" eight 2>"$work/err" \
        && fail "schedules.gp THREADS=eight exited 0" || ok "schedules.gp rejects THREADS=eight" ;;
skip)
    # only 1-thread rows: no speedup, efficiency or imbalance line to draw
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "threads") c = i; print; next } $c == 1' \
        "$csv" >"$work/summary-one.csv"
    reduce "$work/summary-one.csv" "$work/t1" || fail "plotdata on 1-thread rows exited $?"
    for s in speedup efficiency imbalance; do
        "$gp" -c "$plots/$s.gp" "$work/t1" "$work/one-$s" 2>"$work/err"
        rc=$?
        if [ $rc -eq 0 ] && grep -q "$s: no figure for" "$work/t1.notes" && ! ls "$work"/one-"$s"-* >/dev/null 2>&1; then
            ok "$s with one thread count: left out with a note, exit 0"
        else
            fail "$s with one thread count: exit $rc"; cat "$work/err"
        fi
        no_warnings "$work/err" "$s (one thread count)"
    done
    # header only
    head -n 1 "$csv" >"$work/summary-empty.csv"
    reduce "$work/summary-empty.csv" "$work/t0" || fail "plotdata on a header-only CSV exited $?"
    for s in speedup efficiency overhead bandwidth schedules size imbalance; do
        "$gp" -c "$plots/$s.gp" "$work/t0" "$work/empty-$s" 2>"$work/err" \
            && ok "$s.gp with a header-only CSV: exit 0" || { fail "$s.gp with a header-only CSV failed"; cat "$work/err"; }
        no_warnings "$work/err" "$s (header only)"
    done ;;
draw-all)
    OMPSWEEP=$osw sh "$plots/draw-all.sh" "$csv" "$work/all" "test machine" 2>"$work/err"
    rc=$?
    n=$(ls "$work/all" | grep -c '\.png$')
    if [ $rc -eq 0 ] && [ "$n" -eq 23 ]; then ok "draw-all: exit 0, $n PNGs"
    else fail "draw-all: exit $rc, $n PNGs (want 23)"; cat "$work/err"; fi
    no_warnings "$work/err" "draw-all"
    [ -z "$(ls "$work/all" | grep -v '\.png$' | grep -v '\.svg$')" ] && ok "draw-all: only figures in OUTDIR" \
        || fail "draw-all: other files in OUTDIR: $(ls "$work/all" | grep -v '\.png$' | grep -v '\.svg$')"
    grep -q "test machine" "$work/all/speedup-triad.svg" && ok "draw-all: LABEL in titles" \
        || fail "draw-all: LABEL not in the titles"
    # the reducer runs once for all kinds, not once per query
    mkdir -p "$work/bin"
    printf '#!/bin/sh\necho x >>"%s/count"\nexec "%s" "$@"\n' "$work" "$osw" >"$work/bin/osw"
    chmod +x "$work/bin/osw"
    OMPSWEEP=$work/bin/osw sh "$plots/draw-all.sh" "$csv" "$work/once" 2>/dev/null
    [ "$(wc -l <"$work/count")" -eq 1 ] && ok "draw-all: one ompsweep plotdata run" \
        || fail "draw-all: $(wc -l <"$work/count") ompsweep runs"
    drop_column verified <"$csv" >"$work/summary-bad.csv"
    OMPSWEEP=$osw sh "$plots/draw-all.sh" "$work/summary-bad.csv" "$work/bad" 2>"$work/err" \
        && fail "draw-all exited 0 on a CSV without verified" || ok "draw-all fails on a malformed CSV"
    OMPSWEEP=/nonexistent/ompsweep PATH=/usr/bin:/bin sh "$plots/draw-all.sh" "$csv" "$work/x" 2>"$work/err"
    [ $? -eq 2 ] && grep -q "ompsweep not found" "$work/err" && ok "draw-all without ompsweep: exit 2, says so" \
        || { fail "draw-all without ompsweep"; cat "$work/err"; }
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
