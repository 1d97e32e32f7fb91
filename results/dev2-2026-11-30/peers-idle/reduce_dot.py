#!/usr/bin/python3
"""reduce_dot.py BABEL_DOT_CSV: per thread count, each tool's best and
typical GB/s (median over the rounds) and the per-round ratios mean_f64 /
BabelStream Dot and ceiling_read4 / Dot (min / median / max)."""
import csv
import statistics as st
import sys
from collections import defaultdict

by = defaultdict(dict)
for r in csv.DictReader(open(sys.argv[1])):
    by[(int(r["threads"]), int(r["round"]))][r["tool"]] = (float(r["best_gbps"]),
                                                          float(r["typical_gbps"]))


def mmm(v):
    return "%.2f / %.2f / %.2f" % (min(v), st.median(v), max(v))


print("| threads | rounds | Dot best, typical | mean_f64 best, typical | ceiling_read4 best, typical "
      "| mean_f64 / Dot, best | mean_f64 / Dot, typical | ceiling_read4 / Dot, typical |")
print("|---|---|---|---|---|---|---|---|")
for t in sorted({k[0] for k in by}):
    rs = [v for k, v in sorted(by.items()) if k[0] == t and len(v) == 3]
    med = {tool: (st.median(x[tool][0] for x in rs), st.median(x[tool][1] for x in rs))
           for tool in ("babelstream_dot", "mean_f64", "ceiling_read4")}
    print("| %d | %d | %.1f, %.1f | %.1f, %.1f | %.1f, %.1f | %s | %s | %s |" % (
        t, len(rs), *med["babelstream_dot"], *med["mean_f64"], *med["ceiling_read4"],
        mmm([x["mean_f64"][0] / x["babelstream_dot"][0] for x in rs]),
        mmm([x["mean_f64"][1] / x["babelstream_dot"][1] for x in rs]),
        mmm([x["ceiling_read4"][1] / x["babelstream_dot"][1] for x in rs])))
