#!/usr/bin/python3
"""search-summary.py COMPARE.csv SUMMARY.csv: per grid (and 'all'),
strategy and budget, the distribution of the recommended configuration's
recorded median over the grid's best (ratio) across the seeded replays, and
the samples spent, from the rows scripts/search-compare.sh wrote. SUMMARY.csv
is the table plots/search.gp draws; it is also printed as text."""
import collections
import csv
import sys


def q(xs, p):
    xs = sorted(xs)
    k = (len(xs) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


rows = list(csv.DictReader(open(sys.argv[1])))
groups = collections.defaultdict(list)
for r in rows:
    pct = round(100 * int(r["budget_samples"]) / int(r["grid_samples"]))
    for grid in (r["kernel"], "all"):
        groups[(grid, r["strategy"], pct)].append(r)
order = {"racing": 0, "halving": 1, "random": 2, "grid": 3}
with open(sys.argv[2], "w") as f:
    cols = ("grid,strategy,budget_pct,replays,spent_pct_median,ratio_p10,ratio_p25,ratio_median,"
            "ratio_p75,ratio_p90,ratio_max,good_pct,within5_pct")
    f.write(cols + "\n")
    print(cols)
    for key in sorted(groups, key=lambda k: (k[0] != "all", k[0], order[k[1]], k[2])):
        rs = groups[key]
        ratios = [float(r["ratio"]) if r["ratio"] else float("inf") for r in rs]
        spent = [100 * int(r["spent"]) / int(r["grid_samples"]) for r in rs]
        # good: within 5% of the grid's best, or not significantly different
        # from it on the recorded samples (Mann-Whitney, p > 0.05); within5: the
        # first alone
        good = sum(1 for r in rs if r["ratio"] and
                   (float(r["ratio"]) <= 1.05 or float(r["p_vs_best"]) > 0.05))
        within = sum(1 for r in rs if r["ratio"] and float(r["ratio"]) <= 1.05)
        line = "%s,%s,%d,%d,%.1f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.1f,%.1f" % (
            key[0], key[1], key[2], len(rs), q(spent, 0.5), q(ratios, 0.1), q(ratios, 0.25),
            q(ratios, 0.5), q(ratios, 0.75), q(ratios, 0.9), max(ratios), 100 * good / len(rs),
            100 * within / len(rs))
        f.write(line + "\n")
        print(line)
