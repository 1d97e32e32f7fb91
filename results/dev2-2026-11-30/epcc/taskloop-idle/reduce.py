#!/usr/bin/python3
"""reduce.py OUT_CSV SEED_DIR... : the taskloop-against-for table of the
idle runs (run.sh). Per kernel, threads, schedule and chunk: the median over
the runs of each row's median_s, min and max over the runs, all verified;
for taskloop rows the time over the best `for` row of the same kernel and
threads, and for triangular (m rows with m(m-1)/2 <= n) the tasks,
floor(m / grainsize) (at least 1, as the runtimes count them), and the excess over the best `for` per task and per
row. Prints the markdown table of the 2-thread rows."""
import csv
import math
import os
import statistics
import sys

out, dirs = sys.argv[1], sys.argv[2:]
by = {}
for d in dirs:
    for r in csv.DictReader(open(os.path.join(d, "summary.csv"))):
        k = (r["kernel"], int(r["n"]), int(r["threads"]), r["schedule"], int(r["chunk"]))
        by.setdefault(k, []).append((float(r["median_s"]), r["verified"] == "1"))


def rows_for(n):
    m = int((1 + math.sqrt(1 + 8.0 * n)) / 2)
    while m * (m - 1) // 2 > n:
        m -= 1
    while (m + 1) * m // 2 <= n:
        m += 1
    return m


med = {k: statistics.median(t for t, _ in v) for k, v in by.items()}
best_for = {}
for (kern, n, thr, sched, chunk), t in med.items():
    if not sched.startswith("taskloop"):
        key = (kern, n, thr)
        if key not in best_for or t < best_for[key][0]:
            best_for[key] = (t, sched if not chunk else f"{sched},{chunk}")
lines = []
with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["kernel", "n", "threads", "schedule", "chunk", "runs", "median_s", "min_s",
                "max_s", "verified", "ratio_to_best_for", "tasks", "excess_per_task_us",
                "excess_per_row_us"])
    for k in sorted(by):
        kern, n, thr, sched, chunk = k
        t = [x for x, _ in by[k]]
        ratio = tasks = per_task = per_row = ""
        if sched.startswith("taskloop"):
            bf = best_for[(kern, n, thr)][0]
            ratio = "%.3f" % (med[k] / bf)
            if kern == "triangular" and sched == "taskloop:grainsize":
                m = rows_for(n)
                tasks = max(1, m // chunk)  # libgomp's and libomp's count
                per_task = "%.3f" % ((med[k] - bf) / tasks * 1e6)
                per_row = "%.4f" % ((med[k] - bf) / m * 1e6)
        w.writerow([kern, n, thr, sched, chunk, len(t), "%.6f" % med[k], "%.6f" % min(t),
                    "%.6f" % max(t), int(all(ok for _, ok in by[k])), ratio, tasks, per_task,
                    per_row])
        if thr == 2:
            name = sched if not chunk else f"{sched} {chunk}"
            lines.append(f"| {kern} | {name} | {med[k] * 1e3:.2f} | {min(t) * 1e3:.2f}–"
                         f"{max(t) * 1e3:.2f} | {ratio or '—'} | {tasks or ''} | {per_task} |")
print("| kernel | schedule | median ms | range ms | / best for | tasks | excess per task µs |")
print("|---|---|---|---|---|---|---|")
print("\n".join(lines))
for (kern, n, thr), (t, s) in sorted(best_for.items()):
    print(f"best for: {kern} threads={thr}: {s} {t * 1e3:.2f} ms")
