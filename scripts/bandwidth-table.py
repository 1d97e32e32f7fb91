#!/usr/bin/env python3
"""Markdown tables from a summary.csv: bandwidth per kernel and thread count
with the ratio to the in-suite triad of the same run (best-time and median
GB/s), and speedup/efficiency for CPU-bound kernels.

Usage: scripts/bandwidth-table.py SUMMARY_CSV [--threads 1,2,4,8,16]
Only verified rows count; the schedule is the first one found per kernel.
"""
import csv
import sys


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__.strip().splitlines()[-3])
    path = sys.argv[1]
    want = None
    if len(sys.argv) == 4 and sys.argv[2] == "--threads":
        want = {int(t) for t in sys.argv[3].split(",")}
    with open(path, newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["verified"] == "1"]
    if not rows:
        sys.exit(f"{path}: no verified rows")
    triad = {int(r["threads"]): r for r in rows if r["kernel"] == "triad"}
    mem = [r for r in rows if r["bound"] == "memory" and (not want or int(r["threads"]) in want)]
    if mem:
        print("| kernel | threads | GB/s best | GB/s median | best / triad best | median / triad median |")
        print("|---|---:|---:|---:|---:|---:|")
        for r in mem:
            t = triad.get(int(r["threads"]))
            rb = float(r["gbps_best"]) / float(t["gbps_best"]) if t else float("nan")
            rm = float(r["gbps_median"]) / float(t["gbps_median"]) if t else float("nan")
            print(f"| {r['kernel']} | {r['threads']} | {float(r['gbps_best']):.1f} | "
                  f"{float(r['gbps_median']):.1f} | {rb:.2f} | {rm:.2f} |")
    cpu = [r for r in rows if r["bound"] != "memory" and (not want or int(r["threads"]) in want)]
    if cpu:
        print()
        print("| kernel | schedule | threads | median s | speedup | efficiency |")
        print("|---|---|---:|---:|---:|---:|")
        for r in cpu:
            sched = r["schedule"] + (f",{r['chunk']}" if r["chunk"] != "0" else "")
            sp = r["speedup"] or "nan"
            ef = r["efficiency"] or "nan"
            print(f"| {r['kernel']} | {sched} | {r['threads']} | {float(r['median_s']):.6f} | "
                  f"{float(sp):.2f} | {float(ef):.2f} |")


if __name__ == "__main__":
    main()
