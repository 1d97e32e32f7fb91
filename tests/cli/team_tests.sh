#!/bin/sh
# team_tests.sh CASE OMPSWEEP [FAIL_THREADS_SO [SANITIZE]]: the team that ran
# is what the row says, and threads the runtime cannot start are a resource
# error (label cli). Exit 0 pass, 1 fail, 77 skip.
#
#   thread_limit       OMP_THREAD_LIMIT=1, --threads 1,2, two schedules: every
#                      row has threads_ran 1, the threads=2 rows' efficiency is
#                      speedup / 1; one warning before the sweep and one (not
#                      one per row) after the first short team, both naming
#                      OMP_THREAD_LIMIT=1; cpus_used of 2 threads lists one CPU
#   max_active_levels  the same under OMP_MAX_ACTIVE_LEVELS=0
#   dynamic            the same under OMP_DYNAMIC=true on one CPU (taskset -c
#                      0: the runtime then runs one thread), warned once after
#                      the sweep's first short team (no warning before: the
#                      team may not shrink)
#   full_team          no limit: threads_ran = threads, no such warning
#   stacksize_100g     OMP_STACKSIZE=100G: exit 3, one line on stderr naming
#                      it, nothing written (skipped where 100 GiB of stack
#                      could be granted: RAM + swap >= 100 GiB or
#                      vm.overcommit_memory=1)
#   stacksize_huge     the same with 200000G (more than any address space)
#   explicit_places    OMP_PLACES as an explicit list ("{CPU}") on LLVM
#                      libomp (the swap folder, libgomp.so.1 -> libomp.so.5,
#                      or the clang build's own libomp): libomp 14 aborted in
#                      every child ompsweep forked ("free(): invalid size"),
#                      so the sweep was refused as "cannot start 2 threads";
#                      now exit 0, four rows, and meta.json names no
#                      KMP_INIT_AT_FORK (osw_runtime_fork_safe takes it out)
#   runtime_exit       pthread_create fails in the middle of the sweep (the
#                      LD_PRELOAD module): libgomp exits 1 inside the runtime,
#                      ompsweep turns it into exit 3 with its line; the rows
#                      finished before stay (libgomp only; not under ASan)
set -u
case=$1 osw=$2 preload=${3:-} sanitize=${4:-OFF}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/osw-team.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
unset OMP_NUM_THREADS OMP_SCHEDULE OMP_THREAD_LIMIT OMP_DYNAMIC OMP_MAX_ACTIVE_LEVELS OMP_NESTED \
    OMP_STACKSIZE GOMP_STACKSIZE KMP_STACKSIZE KMP_DEVICE_THREAD_LIMIT KMP_ALL_THREADS
status=0
fail() {
    echo "FAIL: $*"
    status=1
}
show() {
    echo "--- stderr ---"
    cat err.txt
    [ -f out/summary.csv ] && echo "--- summary.csv ---" && cat out/summary.csv
}

# column NAME: the column's cells of out/summary.csv, one a line, found by
# the header's name.
column() {
    awk -F, -v name="$1" 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == name) c = i; next}
                          c {print $c}' out/summary.csv
}

sweep() { # ENV... : a small countdown sweep, 1 and 2 threads, two schedules
    env "$@" "$osw" run --quiet --reps 2 --warmup 0 --sizes 1e5 --kernels countdown \
        --threads 1,2 --schedules static,dynamic --out out >out.txt 2>err.txt
}

# short_team CAUSE PRECHECK ENV...: the checks of a team shrunk to 1 thread.
short_team() {
    cause=$1 precheck=$2
    shift 2
    sweep "$@"
    rc=$?
    [ "$rc" -eq 0 ] || fail "exit $rc, expected 0"
    [ "$(column threads | tr '\n' ' ')" = "1 2 1 2 " ] || fail "threads column: $(column threads)"
    [ "$(column threads_ran | tr '\n' ' ')" = "1 1 1 1 " ] ||
        fail "threads_ran should be 1 in every row: $(column threads_ran | tr '\n' ' ')"
    # efficiency = speedup / threads_ran (speedup and efficiency have 6 digits)
    awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i; next}
             $c["threads"] == 2 {
                 s = $c["speedup"]; e = $c["efficiency"]
                 if (s == "" || e == "" || (e - s > 1e-5 * s) || (s - e > 1e-5 * s)) bad = 1
             }
             END {exit bad}' out/summary.csv || fail "efficiency is not speedup / 1 on threads=2"
    ran=$(grep -c "threads=2 .* ran 1 thread, not 2: .*$cause" err.txt)
    [ "$ran" -eq 1 ] || fail "want one warning that threads=2 ran 1 thread naming $cause, got $ran"
    pre=$(grep -c "up to 2 threads asked, but .*$cause" err.txt)
    [ "$pre" -eq "$precheck" ] || fail "want $precheck warning(s) before the sweep naming $cause, got $pre"
    grep -q "ran 1 thread, not 2: .*$cause" out/meta.json || fail "meta.json lacks the warning"
    tr -d ' \n' <out/meta.json | grep -q '"cpus_used":{"1":\[[0-9]*\],"2":\[[0-9]*\]}' ||
        fail "cpus_used of 2 threads should list the one CPU that ran: $(grep -A3 cpus_used out/meta.json)"
}

# refused VALUE: OMP_STACKSIZE=VALUE ends with exit 3 and one line.
refused() {
    env OMP_STACKSIZE="$1" "$osw" run --quiet --reps 1 --warmup 0 --sizes 1000 \
        --kernels countdown --threads 1,2 --out out >out.txt 2>err.txt
    rc=$?
    [ "$rc" -eq 3 ] || fail "exit $rc, expected 3 (a resource error)"
    lines=$(wc -l <err.txt | tr -d ' ')
    [ "$lines" -eq 1 ] || fail "stderr has $lines lines, expected one"
    grep -q "^ompsweep: the OpenMP runtime cannot start 2 threads (.*): OMP_STACKSIZE=$1" err.txt ||
        fail "the line does not say the runtime cannot start 2 threads and name OMP_STACKSIZE=$1"
    [ ! -e out ] || fail "out was written"
}

case $case in
thread_limit) short_team "OMP_THREAD_LIMIT=1" 1 OMP_THREAD_LIMIT=1 ;;
max_active_levels) short_team "OMP_MAX_ACTIVE_LEVELS=0" 1 OMP_MAX_ACTIVE_LEVELS=0 ;;
dynamic)
    command -v taskset >/dev/null || { echo "skip: taskset not found"; exit 77; }
    taskset -c 0 true 2>/dev/null || { echo "skip: CPU 0 is not ours (taskset -c 0)"; exit 77; }
    osw_real=$osw
    osw=$tmp/on_cpu0
    printf '#!/bin/sh\nexec taskset -c 0 "%s" "$@"\n' "$osw_real" >"$osw" && chmod +x "$osw"
    short_team "OMP_DYNAMIC=true" 0 OMP_DYNAMIC=true
    ;;
full_team)
    sweep
    rc=$?
    [ "$rc" -eq 0 ] || fail "exit $rc, expected 0"
    [ "$(column threads_ran | tr '\n' ' ')" = "1 2 1 2 " ] ||
        fail "threads_ran should equal threads: $(column threads_ran | tr '\n' ' ')"
    grep -q "ran [0-9]* threads*, not" err.txt && fail "a short-team warning without a limit"
    grep -q "threads asked, but" err.txt && fail "a thread-limit warning without a limit"
    ;;
explicit_places)
    lib=$(ldconfig -p 2>/dev/null | awk '/libomp\.so\.5 /{print $NF; exit}')
    if [ -z "$lib" ]; then
        echo "skip: no libomp.so.5 (libomp-dev; scripts/install-deps.sh installs it)"
        exit 77
    fi
    mkdir swap && ln -s "$lib" swap/libgomp.so.1 || exit 1
    cpu=$(awk '/^Cpus_allowed_list:/ {split($2, a, /[-,]/); print a[1]}' /proc/self/status)
    sweep LD_LIBRARY_PATH="$tmp/swap${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
        OMP_PLACES="{$cpu}" OMP_PROC_BIND=close
    rc=$?
    [ "$rc" -eq 0 ] || fail "exit $rc, expected 0"
    grep -q "cannot start" err.txt && fail "the sweep was refused"
    [ "$(column verified | tr '\n' ' ')" = "1 1 1 1 " ] ||
        fail "four verified rows expected: $(column verified | tr '\n' ' ')"
    grep -q '"openmp_runtime": *"[^"]*\(libomp\|swap\)' out/meta.json ||
        fail "meta.json's openmp_runtime is not libomp: $(grep openmp_runtime out/meta.json)"
    grep -q KMP_INIT_AT_FORK out/meta.json && fail "meta.json names KMP_INIT_AT_FORK"
    ;;
stacksize_100g)
    mem_kib=$(awk '/^(MemTotal|SwapTotal):/ {s += $2} END {print s + 0}' /proc/meminfo)
    overcommit=$(cat /proc/sys/vm/overcommit_memory 2>/dev/null || echo 0)
    if [ "$mem_kib" -ge 104857600 ] || [ "$overcommit" = 1 ]; then
        echo "skip: this machine may grant a 100 GiB stack (RAM + swap $mem_kib KiB, overcommit $overcommit)"
        exit 77
    fi
    refused 100G
    ;;
stacksize_huge) refused 200000G ;;
runtime_exit)
    [ "$sanitize" = ON ] && { echo "skip: LD_PRELOAD does not go with AddressSanitizer"; exit 77; }
    [ -n "$preload" ] && [ -f "$preload" ] || { echo "skip: no preload module"; exit 77; }
    if ! ldd "$osw" 2>/dev/null | grep -q libgomp; then
        echo "skip: not libgomp (libomp aborts on a thread it cannot create)"
        exit 77
    fi
    env LD_PRELOAD="$preload" "$osw" run --quiet --reps 2 --warmup 0 --sizes 1e5 \
        --kernels countdown --threads 1,2 --schedules static --out out >out.txt 2>err.txt
    rc=$?
    [ "$rc" -eq 3 ] || fail "exit $rc, expected 3"
    grep -q "^ompsweep: the OpenMP runtime ended the sweep .*finished rows are in out" err.txt ||
        fail "no line saying the runtime ended the sweep"
    [ "$(column threads | tr '\n' ' ')" = "1 " ] || fail "the 1-thread row should stay, alone"
    ;;
*)
    echo "team_tests.sh: unknown case '$case'"
    exit 2
    ;;
esac
[ $status -eq 0 ] || show
[ $status -eq 0 ] && echo "ok: $case"
exit $status
