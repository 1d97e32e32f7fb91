#!/usr/bin/python3
"""reduce.py: the tables of README.md from the committed summaries: at
n = 2^25 each kernel's ceiling_ratio (its gbps_median over the best
ceiling_* row of the same run), median and range over the six seeds, before
and after; at the in-cache sizes each kernel's gbps_median, median over the
three seeds, and mean_f64 over mean_f64_1stream of the same run (the OLD
binary always ran first there, so only same-run ratios compare)."""
import csv
import glob
import statistics as st
from collections import defaultdict

ratio = defaultdict(list)
for f in sorted(glob.glob("*before-seed*-summary.csv") + glob.glob("*after-seed*-summary.csv")):
    side = "after" if "after" in f else "before"
    for r in csv.DictReader(open(f)):
        assert r["verified"] == "1", f
        key = (r["kernel"], int(r["threads"]), int(r["n"]), side)
        ratio[key].append(float(r["ceiling_ratio"] if r["n"] == "33554432" else r["gbps_median"]))
print("n = 2^25: ceiling_ratio, median (min-max) over the seeds")
for k in ("mean_i32", "mean_f64", "mean_f64_1stream", "ceiling_read1"):
    for t in (1, 2):
        b, a = ratio[(k, t, 33554432, "before")], ratio[(k, t, 33554432, "after")]
        print("| %s | %d | %.3f (%.2f-%.2f) | %.3f (%.2f-%.2f) |" % (
            k, t, st.median(b), min(b), max(b), st.median(a), min(a), max(a)))
print("in cache: gbps_median, median over the seeds: before -> after")
for n in (4096, 16384, 65536, 1048576):
    for t in (1, 2):
        cells = ["%.1f -> %.1f" % (st.median(ratio[(k, t, n, "before")]),
                                   st.median(ratio[(k, t, n, "after")]))
                 for k in ("mean_f64", "mean_f64_1stream", "ceiling_read4")]
        rel = ["%.2f" % st.median([x / y for x, y in zip(ratio[("mean_f64", t, n, side)],
                                                         ratio[("mean_f64_1stream", t, n, side)])])
               for side in ("before", "after")]
        print("| %d | %d | %s | %s -> %s |" % (n, t, " | ".join(cells), rel[0], rel[1]))

print("2 threads, in cache, 30 reps, 8 seeds: time(mean_f64_1stream) / time(mean_f64), same run")
for n in ("4096", "16384"):
    for side in ("before", "after"):
        rs = []
        for f in sorted(glob.glob("small2-%s-seed*.csv" % side)):
            d = {r["kernel"]: float(r["median_s"]) for r in csv.DictReader(open(f)) if r["n"] == n}
            rs.append(d["mean_f64_1stream"] / d["mean_f64"])
        print("| %s | %s | %.2f (%.2f-%.2f) |" % (n, side, st.median(rs), min(rs), max(rs)))
