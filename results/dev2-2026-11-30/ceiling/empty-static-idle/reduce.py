#!/usr/bin/python3
"""reduce.py ROUNDS_CSV: per thread count, the median over rounds of each
tool's median (us), the ratio of those medians to EPCC's, the per-round
ratio to EPCC (q25 / median / q75), and empty / empty_static per round."""
import csv
import statistics as st
import sys
from collections import defaultdict

by = defaultdict(dict)
for r in csv.DictReader(open(sys.argv[1])):
    by[(int(r["threads"]), int(r["round"]))][r["tool"]] = float(r["median_us"])


def q(v):
    qs = st.quantiles(v, n=4)
    return "%.2f / %.2f / %.2f" % (qs[0], st.median(v), qs[2])


print("| threads | rounds | EPCC | empty_static | empty | empty_static / EPCC: of medians, per round q25 / median / q75 | empty / EPCC: of medians, per round | empty / empty_static per round |")
print("|---|---|---|---|---|---|---|---|")
for t in sorted({k[0] for k in by}):
    rs = [v for k, v in sorted(by.items()) if k[0] == t and len(v) == 3]
    e = st.median(x["epcc"] for x in rs)
    s = st.median(x["empty_static"] for x in rs)
    m = st.median(x["empty"] for x in rs)
    print("| %d | %d | %.3f | %.3f | %.3f | %.3f; %s | %.3f; %s | %s |" % (
        t, len(rs), e, s, m, s / e, q([x["empty_static"] / x["epcc"] for x in rs]),
        m / e, q([x["empty"] / x["epcc"] for x in rs]),
        q([x["empty"] / x["empty_static"] for x in rs])))
