#!/usr/bin/python3
"""Reduces constructs-rounds.csv (one row per round, threads, kernel, tool)
to constructs.csv: per kernel and threads, the median over rounds of each
tool's overhead per execution (ns), the spread (min, max over rounds) and
the ratio ompsweep / EPCC (against EPCC's median_ovrhd, the same statistic
as ompsweep's result, and against its mean-based `overhead`).
Usage: reduce.py constructs-rounds.csv constructs.csv"""
import csv, statistics, sys

rows = list(csv.DictReader(open(sys.argv[1])))
fam = {"sync": "syncbench", "task": "taskbench", "array": "arraybench"}
keys = []
by = {}
for r in rows:
    k = (r["kernel"], int(r["threads"]))
    if k not in by:
        keys.append(k)
        by[k] = {"construct": r["construct"], "ompsweep": [], "epcc_med": [], "epcc_mean": []}
    if r["tool"] == "ompsweep":
        by[k]["ompsweep"].append(float(r["overhead_ns"]))
    else:
        by[k]["epcc_med"].append(float(r["median_overhead_ns"]))
        by[k]["epcc_mean"].append(float(r["overhead_ns"]))
out = csv.writer(open(sys.argv[2], "w", newline=""))
out.writerow(["family", "kernel", "epcc_test", "threads", "rounds", "ompsweep_ns", "ompsweep_min_ns",
              "ompsweep_max_ns", "epcc_median_ns", "epcc_median_min_ns", "epcc_median_max_ns",
              "epcc_mean_ns", "ratio_vs_epcc_median", "ratio_vs_epcc_mean"])
first = {}
for k in keys:
    first.setdefault(k[0], len(first))
for k in sorted(keys, key=lambda k: (list(fam).index(k[0].split("_")[0]), first[k[0]], k[1])):
    d = by[k]
    o, em, ea = d["ompsweep"], d["epcc_med"], d["epcc_mean"]
    if not o or not em:
        continue
    mo, mm, ma = statistics.median(o), statistics.median(em), statistics.median(ea)
    ratio = lambda a, b: "%.3f" % (a / b) if b > 0 and a > 0 else ""
    out.writerow([fam[k[0].split("_")[0]], k[0], d["construct"], k[1], len(o), "%.1f" % mo,
                  "%.1f" % min(o), "%.1f" % max(o), "%.1f" % mm, "%.1f" % min(em), "%.1f" % max(em),
                  "%.1f" % ma, ratio(mo, mm), ratio(mo, ma)])
