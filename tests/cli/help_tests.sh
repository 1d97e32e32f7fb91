#!/bin/sh
# help_tests.sh OMPSWEEP TEST_OPTIONS [OMPSWEEP_MPI]: every subcommand answers
# --help and -h with its own usage on stdout and exit 0, and the text names
# every option the option table gives that command (test_options --list CMD:
# the list comes from the table, not from this script).
osw=$1 opts=$2 mpi=${3:-}
status=0
fail() { echo "FAIL: $*"; status=1; }
check() { # check NAME LIST-CMD HELP-COMMAND...
    name=$1 list=$2
    shift 2
    for flag in --help -h; do
        out=$("$@" "$flag" 2>err.txt) rc=$?
        [ "$rc" -eq 0 ] || fail "$name $flag: exit $rc: $(cat err.txt)"
        [ -s err.txt ] && fail "$name $flag: wrote to stderr: $(cat err.txt)"
        case $out in "usage: "*) ;; *) fail "$name $flag: stdout does not start with usage:" ;; esac
        for o in $("$opts" --list "$list" | cut -d' ' -f1); do
            printf '%s\n' "$out" | grep -q -- "$o\\b" || fail "$name $flag: does not mention $o"
        done
    done
}
for c in run exec list compare tune import-gbench; do
    check "ompsweep $c" "$c" "$osw" "$c"
done
if [ -n "$mpi" ] && [ -x "$mpi" ]; then
    # Open MPI's own start-up allocations outlive MPI_Finalize (scripts/test.sh
    # turns leak checking off for the mpi label for the same reason).
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
    export ASAN_OPTIONS
    check "ompsweep-mpi run" mpi "$mpi" run
else
    echo "note: ompsweep-mpi not built; its --help is not checked"
fi
[ $status -eq 0 ] && echo "ok"
exit $status
