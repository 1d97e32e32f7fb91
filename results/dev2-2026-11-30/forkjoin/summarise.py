#!/usr/bin/env python3
"""summarise.py [ROUNDS_CSV] [OUT_CSV]: rounds.csv (measure.sh) -> forkjoin.csv:
per policy and gap, over the rounds, the median wall time of one kernel call
(200 regions) with its smallest and largest round, the median CPU time of
one call (wall x cpu_per_wall of the same round) and the median
cpu_per_wall. Only verified rows count."""
import csv
import statistics
import sys
import os

here = os.path.dirname(os.path.abspath(__file__))
src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "rounds.csv")
dst = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "forkjoin.csv")
groups = {}
for r in csv.DictReader(open(src)):
    if r["verified"] != "1":
        continue
    wall, cpw = float(r["median_s"]), float(r["cpu_per_wall"])
    groups.setdefault((r["policy"], int(r["gap_us"])), []).append((wall, cpw))
order = {"active": 0, "passive": 1, "default": 2}
with open(dst, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["policy", "gap_us", "wall_ms", "wall_min_ms", "wall_max_ms", "cpu_ms",
                "cpu_per_wall", "rounds"])
    for (policy, gap), v in sorted(groups.items(), key=lambda x: (order[x[0][0]], x[0][1])):
        walls = [x[0] * 1e3 for x in v]
        w.writerow([policy, gap, f"{statistics.median(walls):.3f}", f"{min(walls):.3f}",
                    f"{max(walls):.3f}", f"{statistics.median([a * 1e3 * c for a, c in v]):.3f}",
                    f"{statistics.median([c for _, c in v]):.3f}", len(v)])
