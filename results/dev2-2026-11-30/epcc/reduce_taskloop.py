#!/usr/bin/python3
"""Reduces the summary.csv of interleaved ompsweep rounds to
taskloop-vs-for.csv: per kernel, n, threads, schedule and chunk, the median
over rounds of median_s, its spread, and whether every round verified.
Usage: reduce_taskloop.py OUT_CSV ROUND1/summary.csv ROUND2/summary.csv ..."""
import csv, statistics, sys

by, order = {}, []
for path in sys.argv[2:]:
    for r in csv.DictReader(open(path)):
        k = (r["kernel"], r["n"], int(r["threads"]), r["schedule"], int(r["chunk"]))
        if k not in by:
            by[k] = []
            order.append(k)
        by[k].append((float(r["median_s"]), r["verified"] == "1"))
w = csv.writer(open(sys.argv[1], "w", newline=""))
w.writerow(["kernel", "n", "threads", "schedule", "chunk", "rounds", "median_s", "min_s", "max_s",
            "verified"])
for k in sorted(order):
    v = by[k]
    t = [x for x, _ in v]
    w.writerow(list(k) + [len(v), "%.6f" % statistics.median(t), "%.6f" % min(t), "%.6f" % max(t),
                          int(all(ok for _, ok in v))])
