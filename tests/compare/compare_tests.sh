#!/usr/bin/env bash
# compare_tests.sh CASE COMPARE_BIN FIXTURES WORK [OMPSWEEP_BIN]
#
# Shell tests of `ompsweep compare` (COMPARE_BIN is ompsweep or the
# compare driver; both take `compare BASE NEW ...`). FIXTURES is
# tests/fixtures/compare (README there lists the known answers), WORK a
# scratch directory. Cases: fixture csv options self malformed readback usage
# partial ranks sets real_run. Exit 0 when the case passes, 1 with a FAIL line per failed check.
set -u

case_name=${1:?case}
bin=${2:?compare binary}
fixtures=${3:?fixtures dir}
work=${4:?work dir}
ompsweep=${5:-}

base=$fixtures/base
new=$fixtures/new
failures=0
rm -rf "$work"
mkdir -p "$work"

fail() {
    echo "FAIL [$case_name] $*" >&2
    failures=$((failures + 1))
}

# cmp ARGS...: runs the comparison; sets rc, leaves stdout/stderr in files.
cmp() {
    "$bin" compare "$@" >"$work/out" 2>"$work/err"
    rc=$?
}

expect_rc() { # WANT WHAT
    [ "$rc" = "$1" ] || {
        fail "$2: exit $rc, want $1; stderr: $(head -c 600 "$work/err")"
    }
}

stderr_lines() {
    wc -l <"$work/err" | tr -d ' '
}

# The --format csv row of a key ("kernel,n,threads,schedule,chunk"), or nothing.
csv_row() {
    grep "^$1," "$work/out"
}

# field ROW NAME: a column of a --format csv row by header name.
field() {
    awk -F, -v row="$1" -v name="$2" 'NR == 1 {
            for (i = 1; i <= NF; i++) if ($i == name) col = i
            n = split(row, cells, ",")
            print cells[col]
        }' "$work/out"
}

# near GOT WANT TOL WHAT
near() {
    awk -v g="$1" -v w="$2" -v t="$3" 'BEGIN { d = g - w; if (d < 0) d = -d;
        exit !(g != "" && d <= t) }' || fail "$4: got '$1', want $2 +- $3"
}

# check_row KEY VERDICT RATIO P BASE_MEDIAN NEW_MEDIAN: one parsed CSV row.
check_row() {
    local row
    row=$(csv_row "$1")
    [ -n "$row" ] || {
        fail "no CSV row for $1"
        return
    }
    local verdict ratio lo hi p bm nm
    verdict=$(field "$row" verdict)
    ratio=$(field "$row" ratio)
    lo=$(field "$row" ratio_lo)
    hi=$(field "$row" ratio_hi)
    p=$(field "$row" p_value)
    bm=$(field "$row" base_median_s)
    nm=$(field "$row" new_median_s)
    [ "$verdict" = "$2" ] || fail "$1: verdict '$verdict', want $2"
    near "$ratio" "$3" 2e-6 "$1: ratio"
    near "$p" "$4" "$(awk -v p="$4" 'BEGIN { print p * 1e-4 + 1e-12 }')" "$1: p_value"
    near "$bm" "$5" 1e-12 "$1: base_median_s"
    near "$nm" "$6" 1e-12 "$1: new_median_s"
    awk -v lo="$lo" -v r="$ratio" -v hi="$hi" 'BEGIN { exit !(lo <= r + 1e-6 && r <= hi + 1e-6 && lo > 0) }' ||
        fail "$1: interval [$lo, $hi] does not hold ratio $ratio"
}

# A copy of a fixture run to corrupt.
copy_run() { # SRC NAME -> prints the copy's path
    rm -rf "${work:?}/$2"
    cp -r "$1" "$work/$2"
    echo "$work/$2"
}

# expect_bad_input WHAT MUST_MENTION ARGS...: exit 2 and exactly one stderr
# line that names MUST_MENTION.
expect_bad_input() {
    local what=$1 mention=$2
    shift 2
    cmp "$@"
    expect_rc 2 "$what"
    [ "$(stderr_lines)" = 1 ] || fail "$what: $(stderr_lines) stderr lines, want 1: $(cat "$work/err")"
    grep -qF -- "$mention" "$work/err" || fail "$what: stderr does not name '$mention': $(cat "$work/err")"
    [ -s "$work/out" ] && fail "$what: printed on stdout: $(head -c 300 "$work/out")"
    return 0
}

case $case_name in
fixture)
    # The aligned table: exit 4 (triad threads=1 is 10% slower, threshold 5).
    cmp "$base" "$new"
    expect_rc 4 "fixture, default options"
    head -1 "$work/out" | grep -qE '^kernel +n +threads +schedule +chunk +base_median +new_median +ratio +95% CI +p +verdict$' ||
        fail "table header: $(head -1 "$work/out")"
    [ "$(wc -l <"$work/out")" = 6 ] || fail "table: want header + 5 rows, got $(cat "$work/out")"
    grep -qE '^triad +100000 +1 +static +0 +100\.15 us +110\.16 us +1\.1000 +\[[0-9.]+, [0-9.]+\] +0\.00016 +slower$' "$work/out" ||
        fail "table: triad threads=1 row: $(cat "$work/out")"
    grep -qE '^countdown +100000 +1 +static .* faster$' "$work/out" || fail "table: countdown faster"
    grep -qE '^triad +100000 +2 +static .* 1\.0000 .* +1 +same$' "$work/out" || fail "table: identical row"
    # Columns line up: every row as long as the header up to the verdict.
    awk '{ print index($0, "same") + index($0, "slower") + index($0, "faster") + index($0, "verdict") }' \
        "$work/out" | sort -u | wc -l | grep -qx 1 || fail "table columns not aligned: $(cat "$work/out")"
    grep -q "1 configuration(s) only in $base: triad n=100000 threads=8 static$" "$work/err" ||
        fail "stderr: only in base: $(cat "$work/err")"
    grep -q "1 configuration(s) only in $new: countdown n=100000 threads=4 dynamic,64$" "$work/err" ||
        fail "stderr: only in new: $(cat "$work/err")"
    grep -q "1 configuration(s) left out: verified=0 in some run: triad n=100000 threads=4 static$" "$work/err" ||
        fail "stderr: verified=0: $(cat "$work/err")"
    grep -q "5 configuration(s) compared: 1 slower, 1 faster, 3 same$" "$work/err" ||
        fail "stderr: counts: $(cat "$work/err")"
    grep -q "significantly slower by more than 5%: triad n=100000 threads=1 static$" "$work/err" ||
        fail "stderr: gate line: $(cat "$work/err")"
    [ "$(stderr_lines)" = 5 ] || fail "stderr: want 5 lines: $(cat "$work/err")"
    ;;
csv)
    cmp "$base" "$new" --format csv --threshold 5
    expect_rc 4 "--format csv --threshold 5"
    [ "$(head -1 "$work/out")" = "kernel,n,threads,schedule,chunk,base_median_s,new_median_s,ratio,ratio_lo,ratio_hi,p_value,verdict" ] ||
        fail "CSV header: $(head -1 "$work/out")"
    [ "$(wc -l <"$work/out")" = 6 ] || fail "CSV: want 6 lines: $(cat "$work/out")"
    awk -F, 'NF != 12 { exit 1 }' "$work/out" || fail "CSV: a row without 12 cells"
    # Known answers (README in the fixtures; p from first principles):
    # exact 8 vs 8 complete separation p = 2 / C(16,8) = 1.554e-4.
    check_row triad,100000,1,static,0 slower 1.1 0.0001554002 0.00010015 0.000110165
    check_row triad,100000,2,static,0 same 1.0 1 0.00006009 0.00006009
    check_row countdown,100000,1,static,0 faster 0.8 0.0001554002 0.0002003 0.00016024
    check_row countdown,100000,2,static,0 same 1.010981 0.0001554002 0.000100175 0.000101275
    check_row triad,100000,1,dynamic,64 same 1.005941 0.00219255 0.000101 0.0001016
    csv_row triad,100000,4,static,0 && fail "CSV: the verified=0 row is listed"
    csv_row triad,100000,8,static,0 && fail "CSV: a base-only row is listed"
    ;;
options)
    cmp "$base" "$new" --threshold 15 --format csv
    expect_rc 0 "--threshold 15 (10% slower passes)"
    [ "$(field "$(csv_row triad,100000,1,static,0)" verdict)" = slower ] || fail "--threshold 15: verdict"
    cmp "$base" "$new" --threshold=9.5%
    expect_rc 4 "--threshold=9.5%"
    cmp "$base" "$new" --threshold 10.5
    expect_rc 0 "--threshold 10.5"
    cmp "$base" "$new" --min-effect 0.5 --format csv
    expect_rc 4 "--min-effect 0.5"
    [ "$(field "$(csv_row countdown,100000,2,static,0)" verdict)" = slower ] ||
        fail "--min-effect 0.5: 1% slower row is slower"
    [ "$(field "$(csv_row triad,100000,1,dynamic,64)" verdict)" = slower ] ||
        fail "--min-effect 0.5: 0.6% slower row is slower"
    cmp "$base" "$new" --min-effect 50 --format csv
    expect_rc 0 "--min-effect 50"
    [ "$(awk -F, 'NR > 1 && $12 != "same"' "$work/out" | wc -l)" = 0 ] || fail "--min-effect 50: all same"
    cmp --alpha 1e-5 "$base" "$new" --format csv
    expect_rc 0 "--alpha 1e-5 (8 vs 8 cannot reach it)"
    [ "$(awk -F, 'NR > 1 && $12 != "same"' "$work/out" | wc -l)" = 0 ] || fail "--alpha 1e-5: all same"
    cmp "$base" "$new" --alpha=0.01
    expect_rc 4 "--alpha=0.01"
    head -1 "$work/out" | grep -q '99% CI' || fail "--alpha=0.01: interval header: $(head -1 "$work/out")"
    cmp "$base" "$new" --help
    expect_rc 0 "--help"
    grep -q '^usage: ompsweep compare BASE NEW' "$work/out" || fail "--help text"
    # --adjust holm: the p-values are Holm's adjustment of the plain ones
    # (worked here in awk), and the verdicts follow the adjusted ones.
    cmp "$base" "$new" --min-effect 0.5 --format csv
    cp "$work/out" "$work/plain.csv"
    cmp "$base" "$new" --min-effect 0.5 --format csv --adjust holm
    expect_rc 4 "--adjust holm"
    awk -F, 'NR > 1 { n++; p[n] = $11; key[n] = $1 "," $2 "," $3 "," $4 "," $5 }
        END { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (p[j] < p[i]) {
                t = p[i]; p[i] = p[j]; p[j] = t; t = key[i]; key[i] = key[j]; key[j] = t }
            run = 0; for (i = 1; i <= n; i++) { a = (n - i + 1) * p[i]; if (a > run) run = a
                print key[i] "," (run < 1 ? run : 1) } }' "$work/plain.csv" | sort >"$work/holm-want"
    awk -F, 'NR > 1 { print $1 "," $2 "," $3 "," $4 "," $5 "," $11 }' "$work/out" | sort >"$work/holm-got"
    paste -d, "$work/holm-want" "$work/holm-got" | awk -F, '{ d = $6 - $12; if (d < 0) d = -d
        if ($1 "," $2 "," $3 "," $4 "," $5 != $7 "," $8 "," $9 "," $10 "," $11 || d > 1e-5 * $6 + 1e-12) exit 1 }' ||
        fail "--adjust holm: p-values $(cat "$work/holm-got") not Holm's $(cat "$work/holm-want")"
    awk -F, 'NR > 1 && (($11 <= 0.05) != ($12 != "same")) { exit 1 }' "$work/out" ||
        fail "--adjust holm: verdicts do not follow the adjusted p: $(cat "$work/out")"
    cmp "$base" "$new" --adjust holm --format json
    /usr/bin/python3 -c 'import json,sys; sys.exit(json.load(open(sys.argv[1]))["adjust"] != "holm")' "$work/out" ||
        fail "--adjust holm: JSON: $(head -c 300 "$work/out")"
    expect_bad_input "--adjust bonferroni" "--adjust 'bonferroni' must be none or holm" "$base" "$new" --adjust bonferroni
    ;;
self)
    for dir in "$base" "$new"; do
        cmp "$dir" "$dir" --format csv
        expect_rc 0 "$dir against itself"
        rows=$(awk 'NR > 1' "$work/out" | wc -l)
        [ "$rows" -ge 5 ] || fail "$dir against itself: $rows rows"
        awk -F, 'NR > 1 && ($12 != "same" || $8 != "1.000000" || $11 != 1 || $9 > 1 || $10 < 1) { exit 1 }' \
            "$work/out" || fail "$dir against itself: not all same: $(cat "$work/out")"
        grep -q "only in" "$work/err" && fail "$dir against itself: configurations only in one run"
    done
    ;;
malformed)
    expect_bad_input "missing directory" "$work/nowhere" "$work/nowhere" "$new"
    echo text >"$work/plainfile"
    expect_bad_input "a file, not a directory" "$work/plainfile: not a directory" "$base" "$work/plainfile"
    d=$(copy_run "$base" no-samples) && rm "$d/samples.csv"
    expect_bad_input "missing samples.csv" "$d/samples.csv" "$d" "$new"
    d=$(copy_run "$new" no-summary) && rm "$d/summary.csv"
    expect_bad_input "missing summary.csv" "$d/summary.csv" "$base" "$d"
    expect_bad_input "missing column (fixture)" "missing-column/samples.csv: missing required column 'seconds'" \
        "$base" "$fixtures/missing-column"
    expect_bad_input "non-numeric seconds (fixture)" "bad-seconds/samples.csv:4: seconds 'abc'" \
        "$fixtures/bad-seconds" "$new"
    d=$(copy_run "$base" negative) && sed -i '3s/,[0-9.]*$/,-0.0001/' "$d/samples.csv"
    expect_bad_input "negative seconds" "samples.csv:3: seconds '-0.0001' is not a positive number" "$d" "$new"
    d=$(copy_run "$base" zero) && sed -i '2s/,[0-9.]*$/,0/' "$d/samples.csv"
    expect_bad_input "zero seconds" "samples.csv:2: seconds '0'" "$base" "$d"
    d=$(copy_run "$base" empty-seconds) && sed -i '5s/,[0-9.]*$/,/' "$d/samples.csv"
    expect_bad_input "empty seconds" "samples.csv:5: seconds ''" "$d" "$new"
    d=$(copy_run "$base" ragged) && sed -i '6s/$/,extra/' "$d/samples.csv"
    expect_bad_input "ragged row" "samples.csv:6: 8 cells where the header has 7" "$d" "$new"
    d=$(copy_run "$base" bad-threads) && sed -i '3s/^triad,100000,1,/triad,100000,one,/' "$d/samples.csv"
    expect_bad_input "non-numeric threads" "samples.csv:3: threads 'one' is not a count" "$d" "$new"
    d=$(copy_run "$base" empty-samples) && : >"$d/samples.csv"
    expect_bad_input "empty samples.csv" "samples.csv:1: empty file" "$d" "$new"
    d=$(copy_run "$new" summary-no-chunk) && sed -i '1s/,chunk,/,chunk_size,/' "$d/summary.csv"
    expect_bad_input "summary without chunk" "summary.csv: missing required column 'chunk'" "$base" "$d"
    d=$(copy_run "$new" summary-dup) && sed -n 2p "$new/summary.csv" >>"$d/summary.csv"
    expect_bad_input "duplicate summary row" "configuration triad n=100000 threads=1 static listed twice" "$base" "$d"
    d=$(copy_run "$new" summary-bad-n) && sed -i '2s/^triad,100000,/triad,1e5x,/' "$d/summary.csv"
    expect_bad_input "summary bad n" "summary.csv:2: column n: '1e5x' is not a count" "$base" "$d"
    d=$(copy_run "$base" nothing-common)
    sed -i '2,$s/^/x/' "$d/summary.csv" "$d/samples.csv"
    cmp "$d" "$new"
    expect_rc 2 "no configuration in common"
    grep -q "no configuration to compare between $d and $new" "$work/err" || fail "nothing in common: $(cat "$work/err")"
    ;;
readback)
    # Every cell read back is one the writer writes; a key twice, a nan, a
    # link loop are refused with FILE:LINE (or FILE) and the value, exit 2.
    d=$(copy_run "$base" bad-schedule) && sed -i '2s/,static,/,guided;touch X,/' "$d/summary.csv"
    (cd "$work" && "$bin" compare "$d" "$new" >"$work/out" 2>"$work/err")
    rc=$?
    expect_rc 2 "schedule cell 'guided;touch X'"
    grep -qF "bad-schedule/summary.csv:2: column schedule: 'guided;touch X' is not a schedule" "$work/err" ||
        fail "schedule cell: stderr: $(cat "$work/err")"
    [ -e "$work/X" ] && fail "schedule cell: a command ran"
    d=$(copy_run "$base" dup-summary) && sed -n 2p "$base/summary.csv" >>"$d/summary.csv"
    expect_bad_input "duplicated summary row" \
        "dup-summary/summary.csv:9: configuration triad n=100000 threads=1 static listed twice (lines 2 and 9)" "$base" "$d"
    d=$(copy_run "$base" dup-samples) && sed -n 3p "$base/samples.csv" >>"$d/samples.csv"
    expect_bad_input "duplicated sample row" \
        "dup-samples/samples.csv:80: sample triad n=100000 threads=1 static rep 2 listed twice (lines 3 and 80)" "$d" "$new"
    d=$(copy_run "$base" nan-sample) && sed -i '3s/,[0-9.]*$/,nan/' "$d/samples.csv"
    expect_bad_input "nan sample" "nan-sample/samples.csv:3: seconds 'nan' is not a positive number" "$d" "$new"
    d=$(copy_run "$base" inf-median) && sed -i '2s/^\(\([^,]*,\)\{7\}\)[^,]*/\1inf/' "$d/summary.csv"
    expect_bad_input "inf median" "inf-median/summary.csv:2: column median_s: 'inf' is not a time" "$d" "$new"
    # A UTF-8 byte order mark before each header: the same answer.
    d=$(copy_run "$base" bom)
    for f in summary.csv samples.csv; do
        { printf '\357\273\277'; cat "$base/$f"; } >"$d/$f"
    done
    cmp "$base" "$new" --format csv
    cp "$work/out" "$work/want.csv"
    cmp "$d" "$new" --format csv
    expect_rc 4 "BOM before the headers"
    diff -q "$work/out" "$work/want.csv" >/dev/null || fail "BOM: output differs: $(cat "$work/out")"
    # A symbolic link loop: said as the system says it.
    ln -s loop "$work/loop"
    expect_bad_input "run directory a link loop" "loop: Too many levels of symbolic links" "$work/loop" "$new"
    for f in summary.csv samples.csv; do
        d=$(copy_run "$base" "loop-$f") && rm "$d/$f" && ln -s "$f" "$d/$f"
        expect_bad_input "$f a link loop" "loop-$f/$f: Too many levels of symbolic links" "$d" "$new"
    done
    d=$(copy_run "$base" dir-summary) && rm "$d/summary.csv" && mkdir "$d/summary.csv"
    expect_bad_input "summary.csv a directory" "dir-summary/summary.csv: Is a directory" "$d" "$new"
    ;;
usage)
    expect_bad_input "no arguments" "needs BASE and NEW"
    expect_bad_input "one directory" "needs BASE and NEW" "$base"
    expect_bad_input "three directories" "unexpected argument '$base'" "$base" "$new" "$base"
    expect_bad_input "unknown option" "unknown option '--fast'" "$base" "$new" --fast
    expect_bad_input "alpha not a number" "--alpha 'abc' must be a number" "$base" "$new" --alpha abc
    expect_bad_input "alpha 0" "--alpha '0' must be a number" "$base" "$new" --alpha 0
    expect_bad_input "alpha 0.7" "--alpha '0.7'" "$base" "$new" --alpha 0.7
    expect_bad_input "alpha without value" "option '--alpha' needs a value" "$base" "$new" --alpha
    expect_bad_input "negative threshold" "--threshold '-1' must be a number" "$base" "$new" --threshold -1
    expect_bad_input "min-effect junk" "--min-effect '2x'" "$base" "$new" --min-effect 2x
    ;;
partial)
    # A trailing partial line (killed writer) is dropped with a warning; rows
    # in samples.csv without a summary row are ignored with a warning.
    d=$(copy_run "$new" partial)
    printf 'triad,100000,1,static,0,9,0.00011' >>"$d/samples.csv"
    printf 'stray,1,1,static,0,1,0.5\n' >"$work/stray.csv"
    cat "$d/samples.csv" >"$work/tmp.csv"
    { head -1 "$work/tmp.csv"; cat "$work/stray.csv"; tail -n +2 "$work/tmp.csv"; } >"$d/samples.csv"
    cmp "$base" "$d" --format csv
    expect_rc 4 "partial last line"
    grep -q "warning: $d/samples.csv: ignored a partial last line" "$work/err" || fail "partial warning: $(cat "$work/err")"
    grep -q "warning: $d/samples.csv: ignored 1 sample row(s) with no row in summary.csv" "$work/err" ||
        fail "stray warning: $(cat "$work/err")"
    check_row triad,100000,1,static,0 slower 1.1 0.0001554002 0.00010015 0.000110165
    ;;
ranks)
    # A ranks column (MPI runs) joins the key: shown, matched, kept apart.
    a=$(copy_run "$base" ranks-a)
    b=$(copy_run "$new" ranks-b)
    for d in "$a" "$b"; do
        sed -i '2s/,1,1,,,0.0100/,4,1,,,0.0100/' "$d/summary.csv"
        awk -F, -v OFS=, 'NR == 1 { print $0 ",ranks"; next }
            { print $0 "," (($1 == "triad" && $3 == 1 && $4 == "static") ? 4 : 1) }' \
            "$d/samples.csv" >"$work/s.csv" && mv "$work/s.csv" "$d/samples.csv"
    done
    cmp "$a" "$b" --format csv
    expect_rc 4 "ranks column"
    head -1 "$work/out" | grep -q ',verdict,ranks$' || fail "ranks: CSV header: $(head -1 "$work/out")"
    grep -q '^triad,100000,1,static,0,.*,slower,4$' "$work/out" || fail "ranks: row: $(cat "$work/out")"
    grep -q "significantly slower by more than 5%: triad n=100000 threads=1 static ranks=4$" "$work/err" ||
        fail "ranks: gate line: $(cat "$work/err")"
    cmp "$a" "$new" --format csv
    expect_rc 0 "ranks 4 against ranks 1"
    grep -q "only in $a: triad n=100000 threads=1 static ranks=4" "$work/err" || fail "ranks: only in: $(cat "$work/err")"
    # Without a ranks column in samples.csv, two ranks of one key are ambiguous.
    c=$(copy_run "$base" ranks-ambiguous)
    sed -n 2p "$base/summary.csv" | sed 's/,1,1,,,0.0100/,2,1,,,0.0100/' >>"$c/summary.csv"
    expect_bad_input "ambiguous ranks" "$c/samples.csv: no ranks column" "$c" "$new"
    ;;
sets)
    # Sets of runs (a directory of run directories): each run's median is
    # one observation. Five base runs of triad threads=1 with medians 100.2,
    # 101.2, ..., 104.2 us and five new ones at 110.2..114.2 us: every new
    # median above every base median, so U = 0 and the exact two-sided p is
    # 2 / C(10, 5) = 2/252; the ratio is the medians' 112.2 / 102.2.
    mk_run() { # DIR SECONDS...: one configuration, these samples
        mkdir -p "$1"
        local d=$1
        shift
        head -1 "$base/summary.csv" >"$d/summary.csv"
        sed -n 2p "$base/summary.csv" >>"$d/summary.csv"
        cp "$base/meta.json" "$d/"
        echo "kernel,n,threads,schedule,chunk,rep,seconds" >"$d/samples.csv"
        local rep=0
        for s in "$@"; do
            rep=$((rep + 1))
            echo "triad,100000,1,static,0,$rep,$s" >>"$d/samples.csv"
        done
    }
    spread() { # V: five samples V.0 .. V.4 us, median V.2 us
        echo "0.000${1}4 0.000${1}0 0.000${1}3 0.000${1}1 0.000${1}2"
    }
    for i in 0 1 2 3 4; do
        # The spread inside a run is tiny, so a test of the samples calls
        # any two of these runs apart.
        # shellcheck disable=SC2046 # five words
        mk_run "$work/a/run-$i" $(spread $((100 + i)))
        # shellcheck disable=SC2046
        mk_run "$work/b/run-$i" $(spread $((110 + i)))
        # shellcheck disable=SC2046
        mk_run "$work/c/run-$i" $(spread $((100 + 2 * i)))
    done
    echo "not a run" >"$work/a/notes.txt"
    mkdir -p "$work/a/empty-dir"
    cmp "$work/a" "$work/b" --format csv
    expect_rc 4 "5 runs against 5, all slower"
    head -1 "$work/out" | grep -q ',verdict,base_runs,new_runs$' || fail "sets: CSV header: $(head -1 "$work/out")"
    row=$(csv_row triad,100000,1,static,0)
    [ "$(field "$row" verdict)" = slower ] || fail "sets: verdict: $row"
    near "$(field "$row" p_value)" "$(awk 'BEGIN { print 2 / 252 }')" 1e-6 "sets: exact p"
    near "$(field "$row" ratio)" "$(awk 'BEGIN { print 112.2 / 102.2 }')" 1e-4 "sets: ratio of the medians of medians"
    near "$(field "$row" base_median_s)" 0.0001022 1e-12 "sets: base median"
    [ "$(field "$row" base_runs),$(field "$row" new_runs)" = 5,5 ] || fail "sets: runs columns: $row"
    grep -q "run-level test: each run's median is one observation, 5 base run(s) against 5 new$" "$work/err" ||
        fail "sets: no run-level line: $(cat "$work/err")"
    # Overlapping sets (100.2..104.2 against 100.2..108.2 us): not significant.
    cmp "$work/a" "$work/c" --format csv
    expect_rc 0 "overlapping sets"
    [ "$(field "$(csv_row triad,100000,1,static,0)" verdict)" = same ] || fail "sets: overlap: $(cat "$work/out")"
    # The same two single runs, sample by sample, are told apart.
    cmp "$work/a/run-0" "$work/c/run-4" --format csv
    expect_rc 4 "one run a side"
    head -1 "$work/out" | grep -q ',verdict$' || fail "one run a side: CSV header: $(head -1 "$work/out")"
    # JSON names the runs a side.
    cmp "$work/a" "$work/b" --format json
    /usr/bin/python3 -c 'import json,sys; d = json.load(open(sys.argv[1])); sys.exit(not (d["base_runs"] == 5 and d["new_runs"] == 5 and d["results"][0]["verdict"] == "slower"))' "$work/out" ||
        fail "sets: JSON: $(cat "$work/out")"
    # One run against a set of 3 cannot reach p <= 0.05: a warning, all same.
    rm -rf "$work/b/run-3" "$work/b/run-4"
    cmp "$work/a/run-0" "$work/b" --format csv
    expect_rc 0 "1 run against 3"
    grep -q "warning: 1 against 3 runs cannot reach p <= 0.05 (at best p = 0.5)" "$work/err" ||
        fail "sets: no too-few-runs warning: $(cat "$work/err")"
    # A configuration missing from one run of a set is left out, by name.
    sed -i 2d "$work/c/run-2/summary.csv"
    cmp "$work/a" "$work/c" --format csv
    expect_rc 2 "missing from a run"
    grep -q "1 configuration(s) left out: missing from some run of a set: triad n=100000 threads=1 static$" "$work/err" ||
        fail "sets: missing from a run: $(cat "$work/err")"
    # A bad file in any run of a set is reported, naming the file.
    echo "triad,100000,1,static,0,4,abc" >>"$work/a/run-3/samples.csv"
    expect_bad_input "bad sample in a set" "$work/a/run-3/samples.csv" "$work/a" "$work/b"
    # A directory with neither summary.csv nor runs inside is not a run.
    mkdir -p "$work/nothing/sub"
    expect_bad_input "no runs inside" "$work/nothing/summary.csv: missing" "$work/nothing" "$work/b"
    ;;
real_run)
    [ -n "$ompsweep" ] || {
        echo "SKIP: no ompsweep binary given"
        exit 77
    }
    run=$work/run
    "$ompsweep" run --kernels triad,countdown --threads 1,2 --schedules static --sizes 1e5 \
        --reps 15 --out "$run" --quiet 2>"$work/run.err" || {
        fail "ompsweep run failed: $(cat "$work/run.err")"
        exit 1
    }
    cmp "$run" "$run" --format csv
    expect_rc 0 "a real run against itself"
    [ "$(awk 'NR > 1' "$work/out" | wc -l)" = 4 ] || fail "real run: want 4 rows: $(cat "$work/out")"
    awk -F, 'NR > 1 && ($12 != "same" || $8 != "1.000000" || $11 != 1) { exit 1 }' "$work/out" ||
        fail "real run against itself: not all same: $(cat "$work/out")"
    # Every countdown sample 3x slower: that configuration is slower, exit 4.
    slow=$(copy_run "$run" slow)
    awk -F, -v OFS=, 'NR > 1 && $1 == "countdown" && $3 == 1 { $8 = sprintf("%.12f", 3 * $8) } { print }' \
        "$run/samples.csv" >"$slow/samples.csv"
    cmp "$run" "$slow" --format csv
    expect_rc 4 "countdown 3x slower"
    row=$(csv_row countdown,100000,1,static,0)
    [ "$(field "$row" verdict)" = slower ] || fail "real run: countdown verdict: $row"
    near "$(field "$row" ratio)" 3 1e-4 "real run: countdown ratio"
    awk -F, 'NR > 1 && $1 != "countdown" && $12 != "same" { exit 1 }' "$work/out" ||
        fail "real run: untouched rows not same: $(cat "$work/out")"
    grep -q "significantly slower by more than 5%: countdown n=100000 threads=1 static$" "$work/err" ||
        fail "real run: gate line: $(cat "$work/err")"
    cmp "$run" "$slow"
    expect_rc 4 "countdown 3x slower, table"
    cp "$work/out" "$work/real-table.txt"
    ;;
*)
    echo "unknown case '$case_name'" >&2
    exit 2
    ;;
esac

if [ "$failures" -gt 0 ]; then
    echo "compare.$case_name: $failures check(s) failed" >&2
    exit 1
fi
echo "compare.$case_name: passed"
