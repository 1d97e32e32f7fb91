#!/usr/bin/python3
"""The table of README.md from this directory's trials CSVs (aa-burst.sh's
trials.csv: run1-trials.csv, rR-burst-trials.csv, rR-ctl-trials.csv, and
il-rR-*-trials.csv, the rounds with --order interleaved too)."""
import csv
import glob
import os

here = os.path.dirname(os.path.abspath(__file__))
for kind, pat in (("run1, burst", "run1-trials.csv"), ("rounds, burst", "r*-burst-trials.csv"),
                  ("rounds, control", "r*-ctl-trials.csv"),
                  ("rounds 2, burst", "il-r*-burst-trials.csv"),
                  ("rounds 2, control", "il-r*-ctl-trials.csv")):
    by_order = {}
    for f in sorted(glob.glob(os.path.join(here, pat))):
        rnd = os.path.basename(f).replace("il-", "").split("-")[0]
        for r in csv.DictReader(open(f)):
            by_order.setdefault(r["order"], []).append((rnd, r))
    for o, rows in by_order.items():
        rs = [r for _, r in rows]
        n, cf = len(rs), sum(int(r["configs"]) for r in rs)
        sl, fa = sum(int(r["slower"]) for r in rs), sum(int(r["faster"]) for r in rs)
        ts = sum(int(r["slower"]) > 0 for r in rs)
        a = sorted(float(r["a_s"]) for r in rs)
        per = {}
        for rnd, r in rows:
            per.setdefault(rnd, [0, 0])
            per[rnd][0] += int(r["slower"])
            per[rnd][1] += int(r["configs"])
        print(f"| {kind} | {o} | {n} | {sl}/{cf} = {sl / cf:.3f} | {fa}/{cf} = {fa / cf:.3f} | "
              f"{ts}/{n} | {a[0]:.1f} / {a[n // 2]:.1f} / {a[-1]:.1f} | "
              f"{sum(int(r['drift_rows_b']) for r in rs)} | "
              + " ".join(f"{k}: {v[0]}/{v[1]}" for k, v in sorted(per.items())) + " |")
