#!/usr/bin/python3
"""reduce.py ROUNDS_CSV [OUT_CSV [TOOL]]: per construct, ompsweep's overhead over
EPCC's across the rounds of rounds.py: the median over rounds of each
tool's per-round median, their ratio, a 95% percentile-bootstrap interval
of that ratio (rounds resampled with replacement, each tool's own; 4000
resamples, seed 1), the quartiles of the per-round values, and where the
ratio stands against 0.8-1.25. Markdown on stdout; OUT_CSV the same as
CSV. Rounds where EPCC's calibration stopped at 20 inner repetitions are
kept (they are EPCC's answer) and counted.

Two modes: where the pooled per-round medians of both tools have a gap
wider than 1.3x between neighbours (the widest, on a log scale) with at
least 3 rounds of the pooled 40 on each side, the rounds split into a
lower and an upper mode; TOOL: the tool column to set against EPCC
(default ompsweep; ompsweep_epcc_n for the runs at EPCC's n); the table then gives each tool's share of rounds
in the upper mode and the ratio of the tools' medians within each mode."""
import csv
import random
import statistics
import sys

rows = list(csv.DictReader(open(sys.argv[1])))
TOOL = sys.argv[3] if len(sys.argv) > 3 else "ompsweep"
rng = random.Random(1)
by = {}
for r in rows:
    by.setdefault((r["program"], r["construct"]), {}).setdefault(r["tool"], []).append(r)


def median_ratio(o, e):
    me = statistics.median(e)
    return statistics.median(o) / me if me > 0 else float("nan")


out = []
for (prog, con), tools in sorted(by.items()):
    if TOOL not in tools:
        continue
    o = [float(r["median_ns"]) for r in tools[TOOL]]
    e = [float(r["median_ns"]) for r in tools["epcc"]]
    ratio = median_ratio(o, e)
    boots = []
    for _ in range(4000):
        x = median_ratio([rng.choice(o) for _ in o], [rng.choice(e) for _ in e])
        if x == x:
            boots.append(x)
    boots.sort()
    lo, hi = (boots[int(0.025 * len(boots))], boots[int(0.975 * len(boots)) - 1]) if boots else (
        float("nan"), float("nan"))
    qo, qe = statistics.quantiles(o, n=4), statistics.quantiles(e, n=4)
    at20 = sum(int(r["n"]) == 20 for r in tools["epcc"])
    pooled = sorted(x for x in o + e if x > 0)
    gaps = [(pooled[i + 1] / pooled[i], i) for i in range(2, len(pooled) - 3)]
    g, i = max(gaps) if gaps else (0, 0)
    modes = ""
    if g > 1.3:
        cut = (pooled[i] * pooled[i + 1]) ** 0.5
        lo_o, hi_o = [x for x in o if x <= cut], [x for x in o if x > cut]
        lo_e, hi_e = [x for x in e if x <= cut], [x for x in e if x > cut]
        r = lambda a, b: "%.2f" % (statistics.median(a) / statistics.median(b)) if a and b else "-"
        modes = "split %.0f: upper %d/%d vs %d/%d rounds; lower %s, upper %s" % (
            cut, len(hi_o), len(o), len(hi_e), len(e), r(lo_o, lo_e), r(hi_o, hi_e))
    if 0.8 <= ratio <= 1.25:
        where = "within"
    elif lo <= 1.25 and hi >= 0.8:
        where = "outside, interval reaches the band"
    else:
        where = "outside"
    out.append([con, len(o), "%.1f" % statistics.median(o), "%.1f" % statistics.median(e),
                "%.2f" % ratio, "%.2f" % lo, "%.2f" % hi, "%.1f-%.1f" % (qo[0], qo[2]),
                "%.1f-%.1f" % (qe[0], qe[2]), at20, where, modes])
head = ["construct", "rounds", "ompsweep_ns", "epcc_ns", "ratio", "ratio_lo", "ratio_hi",
        "ompsweep_q25_q75", "epcc_q25_q75", "epcc_rounds_at_20_reps", "band",
        "modes (ompsweep vs EPCC; ratio within each)"]
if len(sys.argv) > 2 and sys.argv[2] != "-":
    with open(sys.argv[2], "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([head] + out)
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for line in out:
    print("| " + " | ".join(str(x) for x in line) + " |")
n_in = sum(line[-2] == "within" for line in out)
n_reach = sum(line[-2] != "outside" for line in out)
print(f"\nwithin 0.8-1.25: {n_in} of {len(out)}; within or an interval reaching it: {n_reach}")
