#!/usr/bin/python3
"""Reduces focus.py's rounds (one row per round, kernel, variant) to one row per
kernel: per variant the median over rounds of the overhead per execution (ns)
and its min-max, and EPCC's inner repetitions (median, min-max); then, over only
the rounds where EPCC calibrated its inner repetitions to at least 1024 (its
first call did not exceed its 1 ms target), EPCC's and ompsweep's medians and
their ratio, and the same over the rounds where it stayed below 1024.
Usage: focus_reduce.py ROUNDS_CSV OUT_CSV"""
import csv, statistics, sys

rows = list(csv.DictReader(open(sys.argv[1])))
variants = []
by, reps, order, rounds = {}, {}, [], {}
for r in rows:
    k = r["kernel"]
    if k not in order:
        order.append(k)
    if r["variant"] not in variants:
        variants.append(r["variant"])
    by.setdefault((k, r["variant"]), []).append(float(r["overhead_ns"]))
    rounds.setdefault((k, r["round"]), {})[r["variant"]] = (int(r["n"]), float(r["overhead_ns"]))
    if r["variant"] == "epcc":
        reps.setdefault(k, []).append(int(r["n"]))
variants.sort(key=lambda v: ["epcc", "ompsweep", "ompsweep_epcc_n", "epcc_tt10ms",
                             "ompsweep_noinline"].index(v))
head = ["kernel", "construct", "rounds", "epcc_innerreps", "epcc_innerreps_min", "epcc_innerreps_max"]
for v in variants:
    head += [v + "_ns", v + "_min_ns", v + "_max_ns"]
for part in ("calibrated", "collapsed"):
    head += [part + "_rounds", part + "_epcc_ns", part + "_ompsweep_ns", part + "_ratio"]
w = csv.writer(open(sys.argv[2], "w", newline=""), lineterminator="\n")
w.writerow(head)
name = {r["kernel"]: r["construct"] for r in rows}
for k in order:
    n = reps.get(k, [0])
    line = [k, name[k], len(by.get((k, "epcc"), [])), int(statistics.median(n)), min(n), max(n)]
    for v in variants:
        x = by.get((k, v), [])
        line += ["%.1f" % statistics.median(x), "%.1f" % min(x), "%.1f" % max(x)] if x else ["", "", ""]
    for part in ("calibrated", "collapsed"):
        e, o = [], []
        for (kk, _), got in rounds.items():
            if kk == k and "epcc" in got and "ompsweep" in got and \
                    (got["epcc"][0] >= 1024) == (part == "calibrated"):
                e.append(got["epcc"][1])
                o.append(got["ompsweep"][1])
        if e:
            me, mo = statistics.median(e), statistics.median(o)
            line += [len(e), "%.1f" % me, "%.1f" % mo, "%.3f" % (mo / me) if me > 0 and mo > 0 else ""]
        else:
            line += [0, "", "", ""]
    w.writerow(line)
