#!/usr/bin/env python3
"""Same-run ratios between kernels, in interleaved rounds.

Runs `ompsweep run` ROUNDS times over the same kernels, the kernel order
reversed every other round (A B, B A, ...), so that a slow spell of a shared
machine hits both sides of each pair. For each pair A:B, size and thread
count it prints the ratio median_s(B) / median_s(A) of every round (above 1:
A is faster) as min / median / max, and the medians of both.

Usage: bench/rounds.py --ompsweep build/cli/ompsweep --pairs A:B[,C:D...]
         [--sizes 2^25] [--threads 1,2] [--rounds 4] [--reps 10]
         [--extra KERNELS] [--order ORDER] [--out DIR]
--order is passed to `ompsweep run` (interleaved: each run takes its samples
in rounds across the kernels, with --seed set to the round's number).
--extra adds kernels to every run (e.g. the ceiling_* kernels, whose
ceiling_ratio column the rows then carry). Writes DIR/round-R/summary.csv
and DIR/ratios.csv; prints ratios.csv.
"""
import argparse
import csv
import os
import statistics
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ompsweep", required=True)
    ap.add_argument("--pairs", required=True)
    ap.add_argument("--sizes", default="2^25")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--schedules", default="static")
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--reps", default="10")
    ap.add_argument("--extra", default="")
    ap.add_argument("--order", default="")
    ap.add_argument("--out", default="rounds-out")
    a = ap.parse_args()
    pairs = [p.split(":") for p in a.pairs.split(",")]
    kernels = []
    for p in pairs:
        for k in p:
            if k not in kernels:
                kernels.append(k)
    for k in filter(None, a.extra.split(",")):
        if k not in kernels:
            kernels.append(k)
    os.makedirs(a.out, exist_ok=True)
    env = dict(os.environ, OMP_PROC_BIND=os.environ.get("OMP_PROC_BIND", "close"),
               OMP_PLACES=os.environ.get("OMP_PLACES", "cores"))
    rows = {}
    for r in range(a.rounds):
        order = kernels if r % 2 == 0 else kernels[::-1]
        d = os.path.join(a.out, f"round-{r}")
        cmd = [a.ompsweep, "run", "--kernels", ",".join(order), "--sizes", a.sizes,
               "--threads", a.threads, "--schedules", a.schedules, "--reps", a.reps,
               "--quiet", "--force", "--out", d]
        if a.order:
            cmd += ["--order", a.order, "--seed", str(r + 1)]
        p = subprocess.run(cmd, env=env, stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            sys.stderr.write(p.stderr)
            sys.exit(p.returncode)
        with open(os.path.join(d, "summary.csv")) as f:
            for row in csv.DictReader(f):
                key = (row["kernel"], row["n"], row["threads"], row["schedule"], row["chunk"])
                rows.setdefault(key, []).append(row)
    out = os.path.join(a.out, "ratios.csv")
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["a", "b", "n", "threads", "schedule", "rounds", "a_median_s", "b_median_s",
                    "ratio_min", "ratio_median", "ratio_max", "a_ceiling_ratio_median",
                    "b_ceiling_ratio_median"])
        for ka, kb in pairs:
            for key in sorted(k for k in rows if k[0] == ka):
                kb_key = (kb,) + key[1:]
                if kb_key not in rows:
                    continue
                ra, rb = rows[key], rows[kb_key]
                ratios = sorted(float(y["median_s"]) / float(x["median_s"])
                                for x, y in zip(ra, rb))

                def cr(rs):
                    v = [float(x["ceiling_ratio"]) for x in rs if x.get("ceiling_ratio")]
                    return f"{statistics.median(v):.3f}" if v else ""

                w.writerow([ka, kb, key[1], key[2], key[3], len(ratios),
                            f"{statistics.median(float(x['median_s']) for x in ra):.6g}",
                            f"{statistics.median(float(x['median_s']) for x in rb):.6g}",
                            f"{ratios[0]:.3f}", f"{statistics.median(ratios):.3f}",
                            f"{ratios[-1]:.3f}", cr(ra), cr(rb)])
    sys.stdout.write(open(out).read())


if __name__ == "__main__":
    main()
