#!/bin/sh
# smoke.sh OMPSWEEP: one small sweep of every kernel, then its output files
# read back and checked (summary.csv, samples.csv, meta.json).
# Exit 0 pass, 1 fail, 77 skipped (no python3).
set -u

[ $# -eq 1 ] || {
    echo "usage: smoke.sh PATH/TO/ompsweep" >&2
    exit 2
}
ompsweep=$1
command -v python3 >/dev/null 2>&1 || {
    echo "SKIP: python3 not found (needed to read the CSV and JSON back)"
    exit 77
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/osw-smoke.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
unset OMP_NUM_THREADS OMP_SCHEDULE

reps=5
threads=1,2
schedules=static,dynamic:16,guided
out=$tmp/out

"$ompsweep" list >"$tmp/list.txt" || {
    echo "FAIL: ompsweep list exited $?" >&2
    exit 1
}
# `--kernels all` is every loop kernel: the list less the construct kernels
# (sync_*, task_*, array_*: docs/kernels.md), whose n counts constructs.
nkernels=$(awk 'NR > 1 && NF > 0 && $1 !~ /^(sync|task|array)_/' "$tmp/list.txt" | wc -l | tr -d ' ')

"$ompsweep" run --kernels all --threads "$threads" --schedules "$schedules" --sizes 100000 \
    --reps "$reps" --out "$out" --quiet 2>"$tmp/stderr.txt"
rc=$?
if [ "$rc" -ne 0 ]; then
    echo "FAIL: ompsweep run exited $rc, expected 0; stderr:" >&2
    cat "$tmp/stderr.txt" >&2
    exit 1
fi

python3 -m json.tool "$out/meta.json" >/dev/null || {
    echo "FAIL: meta.json is not valid JSON" >&2
    exit 1
}

# tests/osw_schema.py reads the columns from lib/schema.def.
tests_dir=$(cd "$(dirname "$0")/.." && pwd) || exit 1

python3 - "$out" "$nkernels" "$reps" "$tests_dir" <<'EOF'
import csv
import json
import math
import sys

out, nkernels, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
sys.path.insert(0, sys.argv[4])
import osw_schema  # noqa: E402
nthreads, nschedules = 2, 3
failures = []


def fail(msg):
    failures.append(msg)


# The columns, in order, as lib/schema.def lists them (the exact header is
# asserted once, by test_unit's csv_schema_version); samples.csv: the KEY
# columns, then the sample. TEXT: the text (STR) columns, not numbers.
COLUMNS = osw_schema.columns()
SUMMARY = [c.name for c in COLUMNS]
SAMPLES = osw_schema.key_names() + ["rep", "seconds", "round"]
TEXT = {c.name for c in COLUMNS if c.kind == "STR"}


def read(name):
    with open(f"{out}/{name}", newline="") as f:
        return list(csv.reader(f))


summary = read("summary.csv")
if not summary or summary[0] != SUMMARY:
    fail(f"summary.csv header is {summary[0] if summary else None}, expected {SUMMARY}")
    print("\n".join("FAIL: " + m for m in failures), file=sys.stderr)
    sys.exit(1)
rows = [dict(zip(SUMMARY, r)) for r in summary[1:]]
for i, r in enumerate(summary[1:]):
    if len(r) != len(SUMMARY):
        fail(f"summary.csv line {i + 2}: {len(r)} cells, expected {len(SUMMARY)}")

want_rows = nkernels * nschedules * nthreads
if nkernels < 1:
    fail("ompsweep list shows no kernel")
if len(rows) != want_rows:
    fail(f"summary.csv has {len(rows)} rows, expected {nkernels} kernels x {nschedules} "
         f"schedules x {nthreads} thread counts = {want_rows}")


def num(r, col):
    return float(r[col]) if r[col] != "" else None


for i, r in enumerate(rows):
    where = f"summary.csv line {i + 2} ({r['kernel']} threads={r['threads']} " \
            f"{r['schedule']},{r['chunk']})"
    for col in SUMMARY:
        if col in TEXT or r[col] == "":
            continue
        try:
            v = float(r[col])
        except ValueError:
            fail(f"{where}: {col} '{r[col]}' is not a number")
            continue
        if not math.isfinite(v):
            fail(f"{where}: {col} '{r[col]}' is not finite")
    if r["verified"] != "1":
        fail(f"{where}: verified is '{r['verified']}', expected 1")
    if r["n"] != "100000" or r["reps"] != str(reps):
        fail(f"{where}: n={r['n']} reps={r['reps']}, expected n=100000 reps={reps}")
    if r["threads"] not in ("1", "2"):
        fail(f"{where}: threads {r['threads']} not in the requested 1,2")
    try:
        mn, med = num(r, "min_s"), num(r, "median_s")
        lo, hi = num(r, "ci_lo_s"), num(r, "ci_hi_s")
        if None in (mn, med, lo, hi):
            fail(f"{where}: min_s, median_s, ci_lo_s or ci_hi_s is empty")
        else:
            if not mn <= med:
                fail(f"{where}: min_s {mn} > median_s {med}")
            if not lo <= med <= hi:
                fail(f"{where}: median_s {med} outside its CI [{lo}, {hi}]")
            if not med > 0:
                fail(f"{where}: median_s {med} is not positive")
    except ValueError:
        pass  # reported above

# Schedules as requested: each kernel has static, dynamic,16 and guided.
want_scheds = {("static", "0"), ("dynamic", "16"), ("guided", "0")}
for k in {r["kernel"] for r in rows}:
    got = {(r["schedule"], r["chunk"]) for r in rows if r["kernel"] == k}
    if got != want_scheds:
        fail(f"{k}: schedules {sorted(got)}, expected {sorted(want_scheds)}")

# Speedup: empty or positive, and median(threads=1) / median of the series.
base = {}
for r in rows:
    if r["threads"] == "1":
        base[(r["kernel"], r["n"], r["schedule"], r["chunk"])] = r["median_s"]
for i, r in enumerate(rows):
    if r["speedup"] == "":
        continue
    where = f"summary.csv line {i + 2} ({r['kernel']} threads={r['threads']} {r['schedule']})"
    try:
        s = float(r["speedup"])
    except ValueError:
        continue
    if not s > 0:
        fail(f"{where}: speedup {s} is not positive")
        continue
    b = base.get((r["kernel"], r["n"], r["schedule"], r["chunk"]))
    if b is None:
        fail(f"{where}: a speedup without a threads=1 row in its series")
        continue
    m1, m = float(b), float(r["median_s"])
    want = m1 / m
    # speedup has 4 decimals; the medians 12 (their rounding moves the ratio).
    tol = 0.5e-4 + want * (0.5e-12 / m1 + 0.5e-12 / m) + 1e-9
    if abs(s - want) > tol:
        fail(f"{where}: speedup {s}, expected {m1}/{m} = {want:.6f}")

# samples.csv: reps lines per summary row, reps numbered 1..reps.
samples = read("samples.csv")
if not samples or samples[0] != SAMPLES:
    fail(f"samples.csv header is {samples[0] if samples else None}, expected {SAMPLES}")
else:
    lines = samples[1:]
    if len(lines) != len(rows) * reps:
        fail(f"samples.csv has {len(lines)} lines, expected {len(rows)} rows x {reps} reps")
    series = {}
    for i, s in enumerate(lines):
        if len(s) != len(SAMPLES):
            fail(f"samples.csv line {i + 2}: {len(s)} cells")
            continue
        key = tuple(s[:5])
        series.setdefault(key, []).append(s[6])
        try:
            v = float(s[7])
            if not (math.isfinite(v) and v > 0):
                fail(f"samples.csv line {i + 2}: seconds {s[7]} not finite and positive")
        except ValueError:
            fail(f"samples.csv line {i + 2}: seconds '{s[7]}' is not a number")
    want_reps = [str(k) for k in range(1, reps + 1)]
    keys = {(r["kernel"], r["n"], r["threads"], r["schedule"], r["chunk"]) for r in rows}
    if set(series) != keys:
        fail(f"samples.csv configurations differ from summary.csv's: "
             f"{sorted(set(series) ^ keys)[:4]}")
    for key, got in series.items():
        if got != want_reps:
            fail(f"samples.csv {','.join(key)}: reps {got}, expected {want_reps}")

with open(f"{out}/meta.json") as f:
    meta = json.load(f)
if meta.get("status") != "complete":
    fail(f"meta.json status is {meta.get('status')!r}, expected 'complete'")
sv = meta.get("schema_version")
if not isinstance(sv, int) or isinstance(sv, bool) or sv < 1:
    fail(f"meta.json schema_version is {sv!r}, expected an integer >= 1")
if meta.get("configs_done") != len(rows) or meta.get("configs_total") != want_rows:
    fail(f"meta.json configs_done/total {meta.get('configs_done')}/{meta.get('configs_total')}, "
         f"expected {len(rows)}/{want_rows}")

if failures:
    for m in failures[:40]:
        print("FAIL: " + m, file=sys.stderr)
    if len(failures) > 40:
        print(f"... and {len(failures) - 40} more", file=sys.stderr)
    sys.exit(1)
print(f"ok: {len(rows)} rows, {len(rows) * reps} samples, meta.json complete")
EOF
