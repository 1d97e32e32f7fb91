#!/bin/sh
# expect.sh: runs one command line and checks how it ends.
#
# usage: expect.sh EXPECTED_EXIT STDERR_REGEX [OPTIONS] -- COMMAND [ARGS...]
#
# Passes (exit 0) when COMMAND exits with EXPECTED_EXIT and its stderr
# matches STDERR_REGEX (grep -E, any line; an empty stderr is one empty line:
# `^$` matches it, `.*` matches anything).
# When EXPECTED_EXIT is 2 (usage error), stderr must also be exactly one line.
# COMMAND runs in a fresh temporary directory, removed afterwards, with
# OMP_NUM_THREADS and OMP_SCHEDULE unset (a case sets them with `env`).
#
# OPTIONS (each takes one argument; shell snippets run with sh -c in the
# temporary directory, with STDOUT_FILE and STDERR_FILE naming the command's
# captured output):
#   --setup SNIPPET   runs before COMMAND; must exit 0
#   --check SNIPPET   runs after COMMAND; must exit 0 (repeatable)
#   --stdout REGEX    stdout must match REGEX (grep -E, any line)
set -u

usage() {
    echo "usage: expect.sh EXPECTED_EXIT STDERR_REGEX [--setup SH] [--check SH] [--stdout RE] -- COMMAND [ARGS...]" >&2
    exit 2
}

[ $# -ge 4 ] || usage
want_exit=$1
stderr_re=$2
shift 2
setup=
checks=
nchecks=0
stdout_re=
have_stdout_re=0
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    [ $# -ge 2 ] || usage
    case $1 in
    --setup) setup=$2 ;;
    --check)
        nchecks=$((nchecks + 1))
        # Kept in numbered variables: a snippet may hold any character.
        eval "check_$nchecks=\$2"
        ;;
    --stdout)
        stdout_re=$2
        have_stdout_re=1
        ;;
    *) usage ;;
    esac
    shift 2
done
[ $# -ge 2 ] && [ "$1" = "--" ] || usage
shift

case $want_exit in
'' | *[!0-9]*) usage ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/osw-cli.XXXXXX") || exit 1
cleanup() {
    chmod -R u+rwx "$tmp" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir "$tmp/work" || exit 1
STDOUT_FILE=$tmp/stdout
STDERR_FILE=$tmp/stderr
export STDOUT_FILE STDERR_FILE
unset OMP_NUM_THREADS OMP_SCHEDULE

fail() {
    echo "FAIL: $*" >&2
    echo "  command: $cmdline" >&2
    echo "  exit status: $got_exit (expected $want_exit)" >&2
    echo "  --- stderr ---" >&2
    sed 's/^/  | /' "$STDERR_FILE" >&2
    echo "  --- stdout (first 20 lines) ---" >&2
    head -n 20 "$STDOUT_FILE" | sed 's/^/  | /' >&2
    exit 1
}

cmdline=$*
got_exit=-
: >"$STDOUT_FILE"
: >"$STDERR_FILE"
cd "$tmp/work" || exit 1

if [ -n "$setup" ]; then
    if ! sh -c "$setup" >"$tmp/setup.log" 2>&1; then
        cat "$tmp/setup.log" >&2
        fail "setup failed: $setup"
    fi
fi

"$@" >"$STDOUT_FILE" 2>"$STDERR_FILE"
got_exit=$?

[ "$got_exit" -eq "$want_exit" ] || fail "wrong exit status"

# grep -E on the captured text; an empty capture counts as one empty line,
# so that `^$` matches an empty stream and `.*` anything.
matches() { # FILE REGEX
    if [ -s "$1" ]; then
        grep -Eq -- "$2" "$1"
    else
        echo | grep -Eq -- "$2"
    fi
}

matches "$STDERR_FILE" "$stderr_re" || fail "stderr does not match /$stderr_re/"

if [ "$want_exit" -eq 2 ]; then
    lines=$(wc -l <"$STDERR_FILE" | tr -d ' ')
    [ "$lines" -eq 1 ] || fail "a usage error must print exactly one line on stderr (got $lines)"
    [ -z "$(tail -c 1 "$STDERR_FILE")" ] || fail "stderr does not end with a newline"
fi

if [ "$have_stdout_re" -eq 1 ]; then
    matches "$STDOUT_FILE" "$stdout_re" || fail "stdout does not match /$stdout_re/"
fi

i=1
while [ "$i" -le "$nchecks" ]; do
    eval "snippet=\$check_$i"
    if ! sh -c "$snippet" >"$tmp/check.log" 2>&1; then
        cat "$tmp/check.log" >&2
        fail "check failed: $snippet"
    fi
    i=$((i + 1))
done

echo "ok: exit $got_exit, stderr matches /$stderr_re/: $cmdline"
exit 0
