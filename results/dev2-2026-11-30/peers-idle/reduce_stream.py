#!/usr/bin/python3
"""reduce_stream.py OUT: STREAM's best rate (MB/s = 1e6 B/s) of Triad and
Add against ompsweep's best (n x bytes per element / min_s) of triad and
vector_add in the same round; ratio ompsweep / STREAM per round, min /
median / max, and the median of each."""
import csv
import glob
import os
import re
import statistics as st
import sys

out = sys.argv[1]
ratios = {}
for f in sorted(glob.glob(os.path.join(out, "stream-*-*.txt"))):
    r, t = re.search(r"stream-(\d+)-(\d+)\.txt$", f).groups()
    text = open(f).read()
    rows = list(csv.DictReader(open(os.path.join(out, "osw-%s-%s" % (r, t), "summary.csv"))))
    for name, kernel, nbytes in (("Triad", "triad", 24), ("Add", "vector_add", 24)):
        mbs = float(re.search(name + r":\s+([0-9.]+)", text).group(1))
        row = next(x for x in rows if x["kernel"] == kernel)
        assert row["verified"] == "1"
        osw = nbytes * int(row["n"]) / float(row["min_s"]) / 1e9
        ratios.setdefault((kernel, int(t)), []).append((osw / (mbs / 1e3), osw, mbs / 1e3))
print("| ompsweep / STREAM | threads | rounds | STREAM best GB/s | ompsweep best GB/s | ratio min / median / max |")
print("|---|---|---|---|---|---|")
for (k, t), v in sorted(ratios.items()):
    x = [a for a, _, _ in v]
    print("| %s | %d | %d | %.1f | %.1f | %.2f / %.2f / %.2f |" % (
        k, t, len(v), st.median(c for _, _, c in v), st.median(b for _, b, _ in v),
        min(x), st.median(x), max(x)))
