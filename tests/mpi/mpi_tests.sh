#!/bin/sh
# Test driver for ompsweep-mpi (CTest label: mpi).
# Usage: mpi_tests.sh CASE OMPSWEEP_MPI OMPSWEEP MPIEXEC SOURCE_DIR WORK_DIR
#   CASE   run     2 ranks x 1 and 2 threads: every row verified, ranks = 2,
#                  one set of output files, the slices in ranks.csv,
#                  mean_i32's result identical to a single-process run's, and
#                  a SUM-combined result (empty's count) the single process's
#          fail    OSW_MPI_FAIL_RANK=1 (test hook): verified=0 rows, exit 1 on
#                  every rank; a MEAN and a SUM result caught by the global
#                  check
#          usage   a bad command line: exit 2, one message (rank 0), no files
#          script  scripts/mpi-sweep.sh: per-layout runs merged into one summary
#          plot    plots/mpi-grid.gp draws the merged summary (needs gnuplot)
#   OMPSWEEP_MPI is empty when it was not built; MPIEXEC may be empty or
#   *-NOTFOUND (then mpirun on PATH). GNUPLOT (environment) names gnuplot.
# Exit 0 pass, 1 fail, 77 skipped.
set -u

[ $# -eq 6 ] || { echo "usage: $0 CASE OMPSWEEP_MPI OMPSWEEP MPIEXEC SOURCE_DIR WORK_DIR" >&2; exit 2; }
case_=$1 mpibin=$2 osw=$3 mpiexec=$4 src=$5 work=$6

if [ -z "$mpibin" ] || [ ! -x "$mpibin" ]; then
    echo "SKIP: ompsweep-mpi is not built (no MPI library found, or OSW_MPI=OFF; scripts/install-deps.sh installs libopenmpi-dev)"
    exit 77
fi
case $mpiexec in
"" | *NOTFOUND) mpiexec=$(command -v mpirun 2>/dev/null || command -v mpiexec 2>/dev/null) ;;
esac
if [ -z "$mpiexec" ] || [ ! -x "$mpiexec" ]; then
    echo "SKIP: mpirun not found (scripts/install-deps.sh installs openmpi-bin)"
    exit 77
fi
# The sibling mpirun of an Open MPI mpiexec (the script takes either).
[ -x "$(dirname "$mpiexec")/mpirun" ] && mpiexec=$(dirname "$mpiexec")/mpirun

# Open MPI refuses root without a flag and more ranks than slots without
# another; MPICH needs neither.
mpiflags=""
if "$mpiexec" --version 2>/dev/null | grep -q "Open MPI\|OpenRTE"; then
    mpiflags="--oversubscribe --bind-to none"
    [ "$(id -u)" = 0 ] && mpiflags="$mpiflags --allow-run-as-root"
fi

rm -rf "$work"
mkdir -p "$work" || exit 1
cd "$work" || exit 1
unset OMP_NUM_THREADS OMP_SCHEDULE OMP_PROC_BIND OMP_PLACES OSW_MPI_FAIL_RANK

fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
show() { sed 's/^/    /' "$1"; }

# col FILE NAME: the values of column NAME (our CSVs have no quoted cells)
col() {
    awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
        c { print $c }' "$1"
}

# mpi NP ARGS...: ompsweep-mpi under mpirun; each rank appends its exit
# status to statuses.txt
mpi() {
    np=$1
    shift
    # shellcheck disable=SC2086
    "$mpiexec" $mpiflags -np "$np" sh -c '"$0" "$@"; s=$?; echo "$s" >>statuses.txt; exit $s' \
        "$mpibin" "$@"
}

n=100003 # odd: the slices differ by one element
case $case_ in
run)
    mpi 2 run --kernels mean_i32,mean_f64,countdown,vector_add --sizes $n --threads 1,2 \
        --schedules static --reps 3 --out out --quiet >stdout.txt 2>stderr.txt
    rc=$?
    [ $rc -eq 0 ] && ok "exit status 0" || { fail "exit status $rc"; show stderr.txt; }
    [ "$(sort statuses.txt | tr '\n' ' ')" = "0 0 " ] && ok "both ranks exited 0" ||
        fail "rank exit statuses: $(tr '\n' ' ' <statuses.txt)"
    files=$(ls -A out | tr '\n' ' ')
    [ "$files" = "meta.json ranks.csv samples.csv summary.csv " ] &&
        ok "one set of output files" || fail "out/ holds: $files"
    [ "$(ls -A | grep -v '^out$\|\.txt$')" = "" ] && ok "nothing written beside out/" ||
        fail "stray files: $(ls -A | tr '\n' ' ')"
    head -n 1 out/summary.csv >hdr_mpi.txt
    rows=$(awk 'NR > 1' out/summary.csv | wc -l | tr -d ' ')
    [ "$rows" = 8 ] && ok "8 summary rows" || fail "$rows summary rows, expected 8"
    [ "$(col out/summary.csv verified | sort -u)" = 1 ] && ok "every row verified" ||
        { fail "verified column: $(col out/summary.csv verified | tr '\n' ' ')"; show stderr.txt; }
    [ "$(col out/summary.csv ranks | sort -u)" = 2 ] && ok "ranks = 2 in every row" ||
        fail "ranks column: $(col out/summary.csv ranks | tr '\n' ' ')"
    [ "$(col out/summary.csv threads | sort -u | tr '\n' ' ')" = "1 2 " ] &&
        ok "threads 1 and 2 in one mpirun" || fail "threads column: $(col out/summary.csv threads | tr '\n' ' ')"
    srows=$(awk 'NR > 1' out/samples.csv | wc -l | tr -d ' ')
    [ "$srows" = 24 ] && ok "24 samples (8 x 3)" || fail "$srows sample rows, expected 24"
    grep -q '"ranks": 2' out/meta.json && grep -q '"status": "complete"' out/meta.json &&
        grep -q '"huge_pages": "on"' out/meta.json && grep -q '"array_offset": 0' out/meta.json &&
        ok "meta.json: ranks 2, complete, huge pages on, offset 0" || { fail "meta.json"; show out/meta.json; }
    # The arrays' page advice and offset reach every rank's kernels.
    mpi 2 run --kernels triad,mean_i32_4way --sizes 2^21 --threads 1 --schedules static --reps 2 \
        --huge-pages off --array-offset 4096 --out pages --quiet >pages_stdout.txt 2>pages_stderr.txt
    rc=$?
    [ $rc -eq 0 ] && [ "$(col pages/summary.csv verified | sort -u)" = 1 ] &&
        grep -q '"huge_pages": "off"' pages/meta.json && grep -q '"array_offset": 4096' pages/meta.json &&
        ok "--huge-pages off --array-offset 4096: verified, in meta.json" ||
        { fail "--huge-pages off --array-offset 4096: exit status $rc"; show pages_stderr.txt; }
    # ranks.csv: two rows per configuration, the slices cover [0, n) in order
    awk -F, -v n=$n 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        { k = $c["kernel"] SUBSEP $c["threads"]; cnt[k]++; sum[k] += $c["n_local"]
          if ($c["rank"] == 0 && $c["index_base"] != 0) bad = "rank 0 base " $c["index_base"]
          if ($c["rank"] == 0) first[k] = $c["n_local"]; else base1[k] = $c["index_base"]
          if ($c["verified"] != 1) bad = "a rank row not verified" }
        END { for (k in cnt) { if (cnt[k] != 2) bad = "rows per config " cnt[k]
                               if (sum[k] != n) bad = "slices sum to " sum[k]
                               if (base1[k] != first[k]) bad = "rank 1 base " base1[k] " != " first[k] }
              if (bad != "") { print bad; exit 1 } }' out/ranks.csv >ranks_check.txt &&
        ok "ranks.csv: 2 ranks per configuration, slices 50002 + 50001" ||
        fail "ranks.csv: $(cat ranks_check.txt)"
    # The same mean_i32, in one process: the result must be bit-identical.
    "$osw" run --kernels mean_i32,mean_f64 --sizes $n --threads 1 --schedules static --reps 3 \
        --out single --quiet 2>single_stderr.txt || { fail "ompsweep run exited $?"; show single_stderr.txt; }
    want=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        $c["kernel"] == "mean_i32" { print $c["result"] }' single/summary.csv)
    got=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        $c["kernel"] == "mean_i32" { print $c["result"] }' out/summary.csv | sort -u)
    [ -n "$want" ] && [ "$got" = "$want" ] && ok "mean_i32 result $got = single process" ||
        fail "mean_i32 result: 2 ranks '$got', single process '$want'"
    wantf=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        $c["kernel"] == "mean_f64" { print $c["result"] }' single/summary.csv)
    awk -F, -v want="$wantf" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        $c["kernel"] == "mean_f64" { d = $c["result"] - want; if (d < 0) d = -d
                                     if (want == "" || d > 1e-13 * want) bad = 1; seen++ }
        END { exit bad || seen != 2 }' out/summary.csv &&
        ok "mean_f64 result within 1e-13 of the single process" || fail "mean_f64 result differs from $wantf"
    [ "$(head -n 1 single/summary.csv)" = "$(cat hdr_mpi.txt)" ] && ok "same summary header as ompsweep run" ||
        fail "summary header differs from ompsweep run's"
    # A SUM-combined result (kernel.h, OSW_COMBINE_SUM): empty's iteration
    # count adds up over the ranks to the single process's, n.
    mpi 2 run --kernels empty --sizes $n --threads 1,2 --schedules static --reps 2 --out sum \
        --quiet >sum_stdout.txt 2>sum_stderr.txt
    rc=$?
    [ $rc -eq 0 ] && [ "$(col sum/summary.csv verified | sort -u)" = 1 ] &&
        ok "empty on 2 ranks: verified" || { fail "empty on 2 ranks: exit status $rc"; show sum_stderr.txt; }
    "$osw" run --kernels empty --sizes $n --threads 1 --schedules static --reps 2 --out sum1 \
        --quiet 2>sum1_stderr.txt || { fail "ompsweep run exited $?"; show sum1_stderr.txt; }
    want=$(col sum1/summary.csv result)
    got=$(col sum/summary.csv result | sort -u)
    [ "$want" = $n ] && [ "$got" = "$want" ] && ok "empty result $got (a sum) = single process = n" ||
        fail "empty result: 2 ranks '$got', single process '$want', n $n"
    [ "$(col sum/ranks.csv result | sort | tr '\n' ' ')" = "50001 50001 50002 50002 " ] &&
        ok "ranks.csv: the local counts 50002 + 50001" ||
        fail "ranks.csv local results: $(col sum/ranks.csv result | tr '\n' ' ')"
    ;;
fail)
    (
        OSW_MPI_FAIL_RANK=1
        export OSW_MPI_FAIL_RANK
        mpi 2 run --kernels mean_i32,countdown,empty --sizes $n --threads 1,2 --schedules static \
            --reps 2 --out out --quiet >stdout.txt 2>stderr.txt
    )
    rc=$?
    [ $rc -eq 1 ] && ok "mpirun exit status 1" || { fail "exit status $rc, expected 1"; show stderr.txt; }
    # Once one rank exits non-zero, mpirun may kill the other before its
    # shell records a status: every status recorded must be 1.
    [ -s statuses.txt ] && [ "$(sort -u statuses.txt | tr '\n' ' ')" = "1 " ] &&
        ok "every rank that reported exited 1" ||
        fail "rank exit statuses: $(tr '\n' ' ' <statuses.txt)"
    [ "$(col out/summary.csv verified | sort -u)" = 0 ] && ok "every row verified=0" ||
        fail "verified column: $(col out/summary.csv verified | tr '\n' ' ')"
    rows=$(awk 'NR > 1' out/summary.csv | wc -l | tr -d ' ')
    [ "$rows" = 6 ] && ok "6 rows written" || fail "$rows rows, expected 6"
    grep -q "mean_i32 .*FAILED verification.*global check" stderr.txt &&
        ok "mean_i32: caught by the global check" || { fail "no global-check failure message"; show stderr.txt; }
    [ "$(grep -c "empty .*FAILED verification.*global check" stderr.txt)" = 2 ] &&
        ok "empty (SUM): caught by the global check" ||
        { fail "empty: no global-check failure message"; show stderr.txt; }
    grep -q "countdown .*FAILED verification.*failing ranks: 1)" stderr.txt &&
        ok "countdown: rank 1 named" || { fail "no rank-1 failure message"; show stderr.txt; }
    [ "$(grep -c 'FAILED verification' stderr.txt)" = 6 ] && ok "reported once per row (rank 0)" ||
        fail "$(grep -c 'FAILED verification' stderr.txt) failure messages, expected 6"
    ;;
usage)
    mpi 2 run --bogus --out out >stdout.txt 2>stderr.txt
    rc=$?
    [ $rc -eq 2 ] && ok "--bogus: exit status 2" || { fail "--bogus: exit status $rc"; show stderr.txt; }
    [ "$(grep -c "unknown option '--bogus'" stderr.txt)" = 1 ] && ok "--bogus: one message" ||
        { fail "--bogus: messages"; show stderr.txt; }
    [ ! -e out ] && ok "--bogus: nothing written" || fail "--bogus: out/ was created"
    mpi 2 run --kernels mean_f64 --sizes 1 --threads 1 --out out >stdout.txt 2>stderr.txt
    rc=$?
    [ $rc -eq 2 ] && grep -q "smaller than the 2 ranks" stderr.txt && [ ! -e out ] &&
        ok "n < ranks: exit 2, nothing written" || { fail "n < ranks: exit status $rc"; show stderr.txt; }
    mpi 2 run --kernels mean_f64 --sizes 1000 --reps auto --out out >stdout.txt 2>stderr.txt
    rc=$?
    [ $rc -eq 2 ] && grep -q "reps auto is not supported" stderr.txt && [ ! -e out ] &&
        ok "--reps auto: refused, exit 2" || { fail "--reps auto: exit status $rc"; show stderr.txt; }
    mpi 2 run --kernels mean_f64 --sizes 1000 --array-offset 100 --out out >stdout.txt 2>stderr.txt
    rc=$?
    [ $rc -eq 2 ] && [ "$(grep -c "array-offset '100' must be bytes, a multiple of 64" stderr.txt)" = 1 ] &&
        [ ! -e out ] && ok "--array-offset 100: exit 2, one message, nothing written" ||
        { fail "--array-offset 100: exit status $rc"; show stderr.txt; }
    mkdir out && echo keep >out/summary.csv
    mpi 2 run --kernels mean_f64 --sizes 1000 --threads 1 --reps 1 --out out --quiet >stdout.txt 2>stderr.txt
    rc=$?
    [ $rc -eq 3 ] && [ "$(cat out/summary.csv)" = keep ] && ok "non-empty out without --force: exit 3" ||
        { fail "non-empty out: exit status $rc"; show stderr.txt; }
    "$mpibin" --help | grep -q "^usage: mpirun" && ok "--help" || fail "--help"
    "$mpibin" --version | grep -q "^ompsweep-mpi [0-9]" && ok "--version (singleton, no mpirun)" ||
        fail "--version"
    ;;
script)
    command -v bash >/dev/null 2>&1 || { echo "SKIP: bash not found (scripts/mpi-sweep.sh needs it)"; exit 77; }
    bash "$src/scripts/mpi-sweep.sh" --ranks 1,2 --threads-per-rank 1 --cores 2 --bin "$mpibin" \
        --mpirun "$mpiexec" --mpi-args "$mpiflags" --out sweep -- --kernels mean_f64,countdown \
        --sizes 100000 --schedules static --reps 3 --quiet >stdout.txt 2>stderr.txt
    rc=$?
    [ $rc -eq 0 ] && ok "exit status 0" || { fail "exit status $rc"; show stderr.txt; }
    for f in summary.csv samples.csv ranks.csv layouts.csv meta.json; do
        [ -s sweep/merged/$f ] || fail "merged/$f missing"
    done
    [ "$(head -n 1 sweep/merged/summary.csv)" = "$(head -n 1 sweep/r1xt1/summary.csv)" ] &&
        ok "merged header = a layout's header" || fail "merged header differs"
    rows=$(awk 'NR > 1' sweep/merged/summary.csv | wc -l | tr -d ' ')
    [ "$rows" = 4 ] && ok "4 merged rows" || fail "$rows merged rows, expected 4"
    [ "$(col sweep/merged/summary.csv ranks | tr '\n' ' ')" = "1 1 2 2 " ] &&
        ok "ranks 1 then 2" || fail "ranks column: $(col sweep/merged/summary.csv ranks | tr '\n' ' ')"
    srows=$(awk 'NR > 1' sweep/merged/samples.csv | wc -l | tr -d ' ')
    [ "$srows" = 12 ] && ok "12 merged samples" || fail "$srows merged samples, expected 12"
    [ "$(grep -c 'kernel,' sweep/merged/summary.csv)" = 1 ] && ok "one header line" || fail "several headers"
    # the fixed-total grid, as commands
    bash "$src/scripts/mpi-sweep.sh" --total-cores 16 --cores 16 --dry-run --bin /x/ompsweep-mpi \
        --out grid -- --kernels mean_f64 >dry.txt 2>&1
    layouts=$(sed -n 's/.* -np \([0-9]*\) .*--threads \([0-9]*\) .*/\1x\2/p' dry.txt | tr '\n' ' ')
    [ "$layouts" = "1x16 2x8 4x4 8x2 16x1 " ] && ok "--total-cores 16: $layouts" ||
        { fail "--total-cores 16 gave '$layouts'"; show dry.txt; }
    grep -q -- "-np 4 --map-by ppr:4:node:pe=4 --bind-to core" dry.txt && ! grep -q oversubscribe dry.txt &&
        ok "fitting layouts bound with ppr:R:node:pe=T" || { fail "mapping"; show dry.txt; }
    bash "$src/scripts/mpi-sweep.sh" --ranks 2 --threads-per-rank 2 --cores 2 --dry-run --bin /x \
        --out grid >dry2.txt 2>&1
    grep -q -- "--oversubscribe --bind-to none -x OMP_PROC_BIND=false" dry2.txt &&
        ok "2x2 on 2 cores: oversubscribed, unbound" || { fail "oversubscribed mapping"; show dry2.txt; }
    bash "$src/scripts/mpi-sweep.sh" --ranks 1 --threads-per-rank 1 --dry-run --bin /x -- --threads 4 \
        >dry3.txt 2>&1
    [ $? -eq 2 ] && ok "--threads in the run options: exit 2" || fail "--threads in the run options accepted"
    ;;
plot)
    gp=${GNUPLOT:-gnuplot}
    command -v "$gp" >/dev/null 2>&1 || { echo "SKIP: gnuplot not found (scripts/install-deps.sh installs gnuplot-nox)"; exit 77; }
    command -v bash >/dev/null 2>&1 || { echo "SKIP: bash not found (scripts/mpi-sweep.sh needs it)"; exit 77; }
    bash "$src/scripts/mpi-sweep.sh" --total-cores 2 --cores 2 --bin "$mpibin" --mpirun "$mpiexec" \
        --mpi-args "$mpiflags" --out sweep -- --kernels mean_f64,countdown --sizes 100000 \
        --schedules static --reps 3 --quiet >stdout.txt 2>stderr.txt || { fail "mpi-sweep.sh exited $?"; show stderr.txt; }
    csv=sweep/merged/summary.csv
    # an unverified row with an absurd time (another schedule, so that its
    # configuration is its own): it must not be drawn
    awk -F, -v OFS=, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i } { print }
        NR == 2 { $c["schedule"] = "dynamic"; $c["verified"] = 0; $c["median_s"] = 123.456; print }' \
        "$csv" >sweep/merged/t.csv &&
        mv sweep/merged/t.csv "$csv"
    "$osw" plotdata sweep/merged --kind mpi-grid --out tables >pd_out.txt 2>&1 ||
        { fail "ompsweep plotdata --kind mpi-grid exited $?"; show pd_out.txt; }
    "$gp" -c "$src/plots/mpi-grid.gp" tables fig >gp_out.txt 2>&1
    rc=$?
    [ $rc -eq 0 ] && ok "gnuplot exit status 0" || { fail "gnuplot exit status $rc"; show gp_out.txt; }
    for k in mean_f64 countdown; do
        [ "$(od -An -tx1 -N8 fig-$k.png 2>/dev/null | tr -d ' \n')" = 89504e470d0a1a0a ] &&
            ok "fig-$k.png" || fail "fig-$k.png missing or not a PNG"
        grep -q "<svg" fig-$k.svg 2>/dev/null && ok "fig-$k.svg" || fail "fig-$k.svg"
        grep -q "1×2" tables/mpi-grid-$k-2.dat && grep -q "2×1" tables/mpi-grid-$k-2.dat &&
            ok "$k: layouts 1×2 and 2×1 drawn" || { fail "$k: layouts"; show tables/mpi-grid-$k-2.dat; }
    done
    grep -q "123.456" tables/mpi-grid-*.dat && fail "the unverified row was drawn" || ok "unverified row left out"
    grep -q "failed verification" gp_out.txt && fail "unexpected message" || true
    grep -qi warning gp_out.txt && { fail "gnuplot warned"; show gp_out.txt; } || ok "no warnings"
    "$gp" -c "$src/plots/mpi-grid.gp" >usage.txt 2>&1
    [ $? -eq 2 ] && grep -q "usage: gnuplot -c .*mpi-grid.gp" usage.txt && ok "no arguments: usage, exit 2" ||
        { fail "usage"; show usage.txt; }
    ;;
*)
    echo "unknown case '$case_'" >&2
    exit 2
    ;;
esac

[ $fails -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
exit 0
