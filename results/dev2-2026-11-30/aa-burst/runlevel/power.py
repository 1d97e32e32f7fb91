#!/usr/bin/python3
"""power.py OMPSWEEP DIR [FACTOR ...]: the power check of the run-level A/A
trials kept in DIR (aa-burst.sh --keep): every sample of every B run times
FACTOR (default 1.00, 1.03, 1.05, 1.10), then `ompsweep compare A B`; prints,
per factor, how many configurations compare calls "slower" (a true verdict
now, a false one at 1.00) and in how many trials any, one run a side (A/1
against B/1) and five a side, without and with --adjust holm."""
import csv
import glob
import os
import shutil
import subprocess
import sys
import tempfile

OMPSWEEP, DIR = sys.argv[1], sys.argv[2]
FACTORS = [float(f) for f in sys.argv[3:]] or [1.00, 1.03, 1.05, 1.10]


def scaled_copy(src, dst, factor):
    shutil.copytree(src, dst)
    with open(os.path.join(src, "samples.csv")) as f:
        rows = list(csv.reader(f))
    col = rows[0].index("seconds")
    for r in rows[1:]:
        r[col] = "%.12g" % (float(r[col]) * factor)
    with open(os.path.join(dst, "samples.csv"), "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def verdicts(a, b, adjust):
    p = subprocess.run([OMPSWEEP, "compare", a, b, "--format", "csv", "--adjust", adjust],
                       capture_output=True, text=True)
    if p.returncode not in (0, 4):
        sys.exit(f"power.py: compare {a} {b}: {p.stderr.strip()}")
    return [r["verdict"] for r in csv.DictReader(p.stdout.splitlines())]


print("factor,sides,adjust,configs,slower,rate,trials,trials_with_slower")
trials = sorted(glob.glob(os.path.join(DIR, "*-[0-9]*")))
for factor in FACTORS:
    counts = {k: [0, 0, 0] for k in (("1 run", "none"), ("5 runs", "none"), ("5 runs", "holm"))}
    for t in trials:
        with tempfile.TemporaryDirectory() as tmp:
            runs = sorted(d for d in os.listdir(os.path.join(t, "B"))
                          if os.path.isdir(os.path.join(t, "B", d)))
            for k in runs:
                scaled_copy(os.path.join(t, "B", k), os.path.join(tmp, "B", k), factor)
            sides = {"1 run": (os.path.join(t, "A", runs[0]), os.path.join(tmp, "B", runs[0])),
                     "5 runs": (os.path.join(t, "A"), os.path.join(tmp, "B"))}
            for (label, adjust), c in counts.items():
                v = verdicts(*sides[label], adjust)
                c[0] += len(v)
                c[1] += v.count("slower")
                c[2] += "slower" in v
    for (label, adjust), (n, s, ts) in counts.items():
        print(f"{factor},{label},{adjust},{n},{s},{s / n:.3f},{len(trials)},{ts}")
