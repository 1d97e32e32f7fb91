#!/bin/sh
# huge_pages.sh OMPSWEEP: --huge-pages on|off reaches the kernels' arrays and
# the huge_page_share column reports what the kernel gave them, for every
# row (two thread counts and several kernels of the same size, so arrays
# freed by one configuration are not the next one's).
# off: MADV_NOHUGEPAGE, so the share must be exactly 0. on: a share in 0..1;
# the system may give none (THP "never", no free 2 MiB page: a note), but
# where THP backed one row it must back every row. Empty where nothing was
# advised: arrays under 2 MiB (2^17 elements), random_cost's plain malloc,
# countdown's no arrays. Exit 0 pass, 1 fail, 77 skipped (no python3, or no
# /proc/self/smaps to read the share from).
set -u
[ $# -eq 1 ] || {
    echo "usage: huge_pages.sh PATH/TO/ompsweep" >&2
    exit 2
}
ompsweep=$1
command -v python3 >/dev/null 2>&1 || {
    echo "SKIP: python3 not found"
    exit 77
}
[ -r /proc/self/smaps ] || {
    echo "SKIP: no /proc/self/smaps"
    exit 77
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/osw-huge.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
unset OMP_NUM_THREADS OMP_SCHEDULE

for mode in on off; do
    # 2^21 elements: 8 to 48 MiB of arrays; 2^17: 0.5 to 1 MiB per array.
    "$ompsweep" run --kernels mean_f64,mean_i32,triad,random_cost,countdown --sizes 2^17,2^21 \
        --threads 1,2 \
        --schedules static --reps 2 --huge-pages "$mode" --out "$tmp/$mode" --quiet \
        2>"$tmp/$mode.err" || {
        echo "FAIL: --huge-pages $mode exited $?:" >&2
        cat "$tmp/$mode.err" >&2
        exit 1
    }
done
"$ompsweep" run --huge-pages 2mb --out "$tmp/bad" --quiet 2>"$tmp/bad.err"
rc=$?
if [ "$rc" -ne 2 ] || [ -e "$tmp/bad" ] || [ "$(wc -l <"$tmp/bad.err")" -ne 1 ] ||
    ! grep -q "huge-pages '2mb' must be on or off" "$tmp/bad.err"; then
    echo "FAIL: --huge-pages 2mb: exit $rc (expected 2, one line, no output dir):" >&2
    cat "$tmp/bad.err" >&2
    exit 1
fi

python3 - "$tmp" <<'PY'
import csv, json, sys
tmp = sys.argv[1]
failures = []
for mode in ("on", "off"):
    shares = []
    with open(f"{tmp}/{mode}/summary.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    with open(f"{tmp}/{mode}/meta.json") as f:
        meta = json.load(f)
    if meta.get("huge_pages") != mode:
        failures.append(f"{mode}: meta.json huge_pages is {meta.get('huge_pages')!r}")
    if f"huge_pages={mode}" not in meta.get("config_key", ""):
        failures.append(f"{mode}: config_key lacks huge_pages={mode}")
    for r in rows:
        share, where = r["huge_page_share"], f"{mode}: {r['kernel']}"
        where += f" n={r['n']} threads={r['threads']}"
        if r["kernel"] in ("countdown", "random_cost") or r["n"] == str(2**17):
            if share != "":
                failures.append(f"{where}: nothing advised, share is {share!r}, expected empty")
            continue
        if share == "":
            failures.append(f"{where}: huge_page_share empty")
            continue
        v = float(share)
        if mode == "off" and v != 0:
            failures.append(f"{where}: share {v} with --huge-pages off, expected 0")
        if not 0 <= v <= 1:
            failures.append(f"{where}: share {v} outside 0..1")
        if mode == "on":
            shares.append((v, where))
    # Where THP backed one configuration's arrays it must back every one's:
    # each setup maps fresh pages and advises them (a setup that reused an
    # earlier configuration's freed memory got none: a bug found in review).
    if mode == "on" and shares:
        if max(v for v, _ in shares) >= 0.9:
            for v, where in shares:
                if v < 0.5:
                    failures.append(f"{where}: share {v} while others got huge pages")
        else:
            print(f"note: on: no huge pages given (THP mode "
                  f"{meta.get('transparent_hugepages')!r}): consistency not checked")
for m in failures:
    print("FAIL: " + m, file=sys.stderr)
sys.exit(1 if failures else 0)
PY
