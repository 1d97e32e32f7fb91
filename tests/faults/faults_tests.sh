#!/bin/bash
# Faults (label faults): a second writer, closed and full output streams, a
# full disk, a file size limit, a closed pipe. Each case fails on a harness
# that loses, tears or mislabels a row.
# Usage: faults_tests.sh CASE OMPSWEEP WORK_DIR
# Cases: lock, closed_stdout, disk_full (root: a 64 KiB tmpfs; else skip 77),
# file_size, dev_full, pipe.
case_=$1 osw=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
status=0
fail() { echo "FAIL: $*"; status=1; }
ok() { echo "ok: $*"; }
unset CI
tiny=(--sizes 1 --threads 1,2 --min-time 0 --warmup 0)

# whole FILE: every line ends in a newline and has the header's cell count.
whole() {
    [ ! -s "$1" ] && return 0
    [ "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" = '\n' ] || return 1
    awk -F, 'NR == 1 {n = NF} NF != n {exit 1}' "$1"
}
meta_field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2]))" "$1" "$2"; }

case $case_ in
lock)
    # A slow sweep holds out/; a second --force and a --resume exit 3 at
    # once naming its PID; the first finishes whole.
    "$osw" run --kernels wait --sizes 2e6 --threads 1,2 --schedules static --reps 8 --warmup 0 \
        --min-time 0.05 --quiet \
        --out out &
    first=$!
    for _ in $(seq 200); do [ -s out/.ompsweep.lock ] && break; sleep 0.02; done
    for extra in --force --resume; do
        "$osw" run --kernels wait --sizes 2e6 --threads 1 --reps 1 --quiet --out out $extra \
            2>err.txt
        rc=$?
        [ $rc -eq 3 ] && grep -q "being written by PID $first" err.txt &&
            ok "$extra while written: exit 3, names PID $first" ||
            { fail "$extra while written: exit $rc: $(cat err.txt)"; }
    done
    wait $first
    rc=$?
    [ $rc -eq 0 ] && ok "the first run exits 0" || fail "the first run: exit $rc"
    rows=$(($(wc -l <out/summary.csv) - 1)) samples=$(($(wc -l <out/samples.csv) - 1))
    [ "$rows" = 2 ] && [ "$samples" = 16 ] && ok "2 rows, 16 samples, none lost or doubled" ||
        fail "$rows rows, $samples samples"
    [ "$(meta_field out/meta.json status)" = complete ] && ok "meta complete" || fail "meta status"
    # Readers and a later writer are not blocked by a finished run.
    "$osw" run --kernels wait --sizes 2e6 --threads 1 --reps 1 --quiet --out out --force &&
        ok "a later --force works" || fail "a later --force"
    ;;
closed_stdout)
    # stdout closed: no result file becomes fd 1, the table goes nowhere.
    "$osw" run --kernels triad,mean_f64 "${tiny[@]}" --reps 3 --out out >&-
    rc=$?
    [ $rc -eq 0 ] && ok "exit 0 with stdout closed" || fail "exit $rc with stdout closed"
    head -1 out/summary.csv | grep -q '^kernel,n,threads' && whole out/summary.csv &&
        ! grep -q "threads=" out/summary.csv && ok "summary.csv is only CSV" ||
        { fail "summary.csv holds other text"; head -3 out/summary.csv; }
    # Killed outright with stdout closed: --resume completes it.
    "$osw" run --kernels wait --sizes 2e6 --threads 1,2 --schedules static,guided --reps 4 \
        --warmup 0 --out out2 >&- 2>/dev/null &
    pid=$!
    for _ in $(seq 300); do [ "$(wc -l <out2/summary.csv 2>/dev/null)" -ge 2 ] 2>/dev/null && break; sleep 0.02; done
    kill -9 $pid
    wait $pid 2>/dev/null
    "$osw" run --kernels wait --sizes 2e6 --threads 1,2 --schedules static,guided --reps 4 \
        --warmup 0 --out out2 --resume --quiet >&-
    rc=$?
    [ $rc -eq 0 ] && [ "$(($(wc -l <out2/summary.csv) - 1))" = 4 ] && whole out2/summary.csv &&
        ok "kill -9 with stdout closed, then --resume: 4 whole rows" ||
        fail "resume after kill -9: exit $rc, $(wc -l <out2/summary.csv) lines"
    ;;
disk_full)
    if [ "$(id -u)" != 0 ] || ! mkdir -p small || ! mount -t tmpfs -o size=64k tmpfs small 2>/dev/null; then
        echo "SKIP: needs root to mount a 64 KiB tmpfs"
        exit 77
    fi
    "$osw" run --kernels empty "${tiny[@]}" --reps 1500 --quiet --out small/out 2>err.txt
    rc=$?
    # one line says it; warnings (unbound threads, a drifting row) may come before
    [ $rc -eq 3 ] && grep -q "No space left" err.txt && [ "$(grep -vc 'warning:' err.txt)" -eq 1 ] &&
        ok "full disk: exit 3, one line" || fail "full disk: exit $rc: $(cat err.txt)"
    whole small/out/summary.csv && whole small/out/samples.csv &&
        ok "no partial line" || fail "a partial line was left"
    [ "$(meta_field small/out/meta.json status)" = failed ] &&
        meta_field small/out/meta.json failure | grep -q "No space" &&
        ok "meta.json: failed, with the reason" || fail "meta.json: $(cat small/out/meta.json | head -8)"
    umount small
    ;;
file_size)
    # A file size limit: EFBIG handled, not death by SIGXFSZ (exit 153).
    bash -c "ulimit -f 40; exec \"$osw\" run --kernels empty --sizes 1 --threads 1,2 --min-time 0 \
        --warmup 0 --reps 1000 --quiet --out out" 2>err.txt
    rc=$?
    [ $rc -eq 3 ] && grep -q "File too large" err.txt && ok "ulimit -f: exit 3" ||
        fail "ulimit -f: exit $rc: $(cat err.txt)"
    whole out/summary.csv && whole out/samples.csv && ok "no partial line" || fail "a partial line"
    [ "$(meta_field out/meta.json status)" = failed ] && ok "meta.json failed" || fail "meta status"
    ;;
dev_full)
    "$osw" run --kernels triad "${tiny[@]}" --reps 5 --quiet --out run || fail "setup run"
    for cmd in "list" "compare run run --format csv" "compare run run" "tune run" \
               "tune run --format json" "tune run --format csv" "--help" "run --help"; do
        # shellcheck disable=SC2086
        "$osw" $cmd >/dev/full 2>err.txt
        rc=$?
        [ $rc -eq 3 ] && grep -q "writing to stdout" err.txt && ok "$cmd >/dev/full: exit 3" ||
            fail "$cmd >/dev/full: exit $rc: $(cat err.txt)"
    done
    ;;
pipe)
    # run | head -1: the reader goes away; the sweep stops cleanly.
    "$osw" run --kernels triad,mean_f64,vector_add "${tiny[@]}" --reps 3 --out out 2>err.txt | head -1 >/dev/null
    rc=${PIPESTATUS[0]}
    [ $rc -eq 3 ] && ok "exit 3 when stdout's reader is gone" || fail "exit $rc: $(cat err.txt)"
    m=$(meta_field out/meta.json status)
    [ "$m" = failed ] && meta_field out/meta.json failure | grep -q "stdout" &&
        ok "meta.json says failed: stdout" || fail "meta.json status $m"
    whole out/summary.csv && ok "whole rows" || fail "partial row"
    [ "$(grep -c "Broken pipe\|writing to stdout" err.txt)" = 1 ] && ok "one line about it" ||
        fail "stderr: $(cat err.txt)"
    ;;
*)
    echo "unknown case $case_"
    exit 2
    ;;
esac
exit $status
