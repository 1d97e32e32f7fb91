#!/usr/bin/python3
"""Reduces constructs-rounds.csv (one row per round, threads, kernel, tool)
to constructs.csv: per kernel and threads, the median over rounds of each
tool's overhead per execution (ns), the spread (min, max over rounds) and
the ratio ompsweep / EPCC (against EPCC's median_ovrhd, the same statistic
as ompsweep's result, and against its mean-based `overhead`). When the
rounds carry them (compare.py since 2026-11-30 05:20): EPCC's inner
repetitions (median, min, max over rounds) and ompsweep run at EPCC's inner
repetitions of the same round (tool ompsweep_epcc_n), with its ratio.
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
        by[k] = {"construct": r["construct"], "ompsweep": [], "epcc_med": [], "epcc_mean": [],
                 "epcc_n": [], "osw_at_n": []}
    if r["tool"] == "ompsweep":
        by[k]["ompsweep"].append(float(r["overhead_ns"]))
    elif r["tool"] == "ompsweep_epcc_n":
        by[k]["osw_at_n"].append(float(r["overhead_ns"]))
    else:
        by[k]["epcc_med"].append(float(r["median_overhead_ns"]))
        by[k]["epcc_mean"].append(float(r["overhead_ns"]))
        if r.get("n"):
            by[k]["epcc_n"].append(int(r["n"]))
out = csv.writer(open(sys.argv[2], "w", newline=""))
out.writerow(["family", "kernel", "epcc_test", "threads", "rounds", "ompsweep_ns", "ompsweep_min_ns",
              "ompsweep_max_ns", "epcc_median_ns", "epcc_median_min_ns", "epcc_median_max_ns",
              "epcc_mean_ns", "ratio_vs_epcc_median", "ratio_vs_epcc_mean", "epcc_innerreps",
              "epcc_innerreps_min", "epcc_innerreps_max", "ompsweep_at_epcc_n_ns",
              "ompsweep_at_epcc_n_min_ns", "ompsweep_at_epcc_n_max_ns", "ratio_at_epcc_n"])
first = {}
for k in keys:
    first.setdefault(k[0], len(first))
for k in sorted(keys, key=lambda k: (list(fam).index(k[0].split("_")[0]), first[k[0]], k[1])):
    d = by[k]
    o, em, ea, en, on = d["ompsweep"], d["epcc_med"], d["epcc_mean"], d["epcc_n"], d["osw_at_n"]
    if not o or not em:
        continue
    mo, mm, ma = statistics.median(o), statistics.median(em), statistics.median(ea)
    ratio = lambda a, b: "%.3f" % (a / b) if b > 0 and a > 0 else ""
    extra = ["", "", "", "", "", "", ""]
    if en:
        extra[0:3] = ["%d" % statistics.median(en), "%d" % min(en), "%d" % max(en)]
    if on:
        mn = statistics.median(on)
        extra[3:7] = ["%.1f" % mn, "%.1f" % min(on), "%.1f" % max(on), ratio(mn, mm)]
    out.writerow([fam[k[0].split("_")[0]], k[0], d["construct"], k[1], len(o), "%.1f" % mo,
                  "%.1f" % min(o), "%.1f" % max(o), "%.1f" % mm, "%.1f" % min(em), "%.1f" % max(em),
                  "%.1f" % ma, ratio(mo, mm), ratio(mo, ma)] + extra)
