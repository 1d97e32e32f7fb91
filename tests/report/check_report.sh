#!/bin/sh
# Tests of `ompsweep report DIR`. Usage: check_report.sh CASE OMPSWEEP WORKDIR
#   page        a tiny run, its report, then headless chromium loads the page:
#               every <img> loaded (naturalWidth > 0, as the page's own script
#               writes into <body data-images-loaded/total>), the advice's
#               export line present, no http(s) URL in a src or href, and a
#               screenshot that is a PNG of some size
#   no_gnuplot  GNUPLOT names no program: exit 0 and the page says why no
#               figures were drawn; markup in meta.json's host is escaped
#   bad_dirs    exit 2 for a missing DIR, a file, a directory without
#               summary.csv, a malformed summary.csv or meta.json; exit 3 when
#               DIR/report cannot be made
# Exit status 77: chromium or gnuplot missing (page only).
set -u
case=$1
osw=$2
work=$3
rm -rf "$work"
mkdir -p "$work" || exit 1
fail() { echo "FAIL: $*" >&2; exit 1; }

tiny_run() {
    "$osw" run --kernels triad,countdown --sizes 1e5 --threads 1,2 --reps 3 --quiet \
        --out "$work/run" 2>/dev/null || fail "the tiny run failed"
}

# expect STATUS ARGS...: ompsweep report ARGS exits with STATUS.
expect() {
    want=$1
    shift
    "$osw" report "$@" >"$work/out" 2>"$work/err"
    got=$?
    [ "$got" = "$want" ] || { cat "$work/err" >&2; fail "report $*: exit $got, want $want"; }
}

case $case in
page)
    browser=$(command -v chromium || command -v chromium-browser) ||
        { echo "SKIP: chromium missing (scripts/install-deps.sh installs it)"; exit 77; }
    command -v "${GNUPLOT:-gnuplot}" >/dev/null ||
        { echo "SKIP: gnuplot missing (scripts/install-deps.sh installs gnuplot-nox)"; exit 77; }
    tiny_run
    expect 0 "$work/run"
    page=$work/run/report/index.html
    [ "$(cat "$work/out")" = "$page" ] || fail "printed '$(cat "$work/out")', not $page"
    grep -q 'export OMP_NUM_THREADS' "$page" || fail "no export line in the page"
    if grep -Eio '(src|href)="[^"]*' "$page" | grep -qi 'http'; then
        fail "the page refers to a URL: $(grep -Eio '(src|href)="[^"]*' "$page" | grep -i http)"
    fi
    nsvg=$(ls "$work/run/report/figures" | grep -c '\.svg$')
    [ "$nsvg" -gt 0 ] || fail "draw-all.sh drew no SVG"
    url=file://$(CDPATH='' cd -- "$(dirname -- "$page")" && pwd)/index.html
    export HOME="$work/home"
    mkdir -p "$HOME"
    flags="--headless=new --no-sandbox --disable-gpu --no-first-run --user-data-dir=$work/profile"
    # shellcheck disable=SC2086
    timeout 120 "$browser" $flags --virtual-time-budget=5000 --dump-dom "$url" \
        >"$work/dom.html" 2>"$work/chromium.log" || fail "chromium --dump-dom failed"
    body=$(grep -o '<body[^>]*>' "$work/dom.html" | head -n 1)
    echo "chromium: $body"
    loaded=$(printf '%s' "$body" | sed -n 's/.*data-images-loaded="\([0-9]*\)".*/\1/p')
    total=$(printf '%s' "$body" | sed -n 's/.*data-images-total="\([0-9]*\)".*/\1/p')
    [ -n "$loaded" ] && [ -n "$total" ] || fail "the page's script did not mark <body>"
    [ "$total" = "$nsvg" ] || fail "$total images on the page, $nsvg SVG files drawn"
    [ "$loaded" = "$total" ] || fail "$loaded of $total images loaded"
    grep -q 'export OMP_NUM_THREADS' "$work/dom.html" || fail "no export line in the DOM"
    # shellcheck disable=SC2086
    timeout 120 "$browser" $flags --hide-scrollbars --window-size=1280,2000 \
        --screenshot="$work/shot.png" "$url" >/dev/null 2>>"$work/chromium.log" ||
        fail "chromium --screenshot failed"
    [ -f "$work/shot.png" ] || fail "no screenshot"
    size=$(wc -c <"$work/shot.png")
    [ "$size" -gt 20000 ] || fail "the screenshot is $size bytes"
    [ "$(head -c 4 "$work/shot.png" | tail -c 3)" = PNG ] || fail "the screenshot is not a PNG"
    ;;
no_gnuplot)
    tiny_run
    GNUPLOT=/nonexistent/gnuplot expect 0 "$work/run"
    page=$work/run/report/index.html
    grep -q 'No figures were drawn' "$page" || fail "the page does not say no figures were drawn"
    grep -q 'not found' "$page" || fail "the page does not say why"
    if grep -q '<img' "$page"; then fail "images on a page without figures"; fi
    grep -q 'export OMP_NUM_THREADS' "$page" || fail "no export line in the page"
    # Text from the run's files is escaped: a host name with markup in it.
    python3 - "$work/run/meta.json" <<'PY' || fail "cannot edit meta.json"
import json, sys
m = json.load(open(sys.argv[1]))
m["host"] = "<b id=\"x\">h&o'st</b>"
json.dump(m, open(sys.argv[1], "w"))
PY
    GNUPLOT=/nonexistent/gnuplot expect 0 "$work/run"
    grep -q '&lt;b id=&quot;x&quot;&gt;h&amp;o&#39;st&lt;/b&gt;' "$page" || fail "the host is not escaped"
    if grep -q '<b id=' "$page"; then fail "markup from meta.json reached the page"; fi
    ;;
bad_dirs)
    expect 2 "$work/missing"
    : >"$work/file"
    expect 2 "$work/file"
    mkdir -p "$work/empty"
    expect 2 "$work/empty"
    mkdir -p "$work/bad"
    printf 'kernel,n\ntriad,notanumber\n' >"$work/bad/summary.csv"
    expect 2 "$work/bad"
    expect 2
    tiny_run
    cp "$work/run/meta.json" "$work/meta.json"
    printf '{"host": ' >"$work/run/meta.json" # malformed JSON
    expect 2 "$work/run"
    cp "$work/meta.json" "$work/run/meta.json"
    : >"$work/run/report" # a file where the report directory goes
    expect 3 "$work/run"
    ;;
*)
    fail "unknown case $case"
    ;;
esac
echo "ok: report.$case"
