#!/usr/bin/env python3
"""ompsweep against numpy on one thread, in interleaved rounds.

Each round times numpy's np.add(a, b, out=c), a.mean() over int32 in 0..9
and x.mean() over doubles (median of --reps calls each) and runs
`ompsweep run --kernels vector_add,mean_i32,mean_f64 --threads 1` at the same
n; the order of the two alternates between rounds. Prints, per workload, the
time ratio numpy / ompsweep (above 1: ompsweep faster) as min / median / max
over the rounds. numpy is single-threaded here, so only 1 thread compares.

Usage: bench/numpy_rounds.py --ompsweep build/cli/ompsweep [--n 2^25]
         [--rounds 4] [--reps 10] [--out DIR]
"""
import argparse
import csv
import os
import statistics
import subprocess
import sys
import time

import numpy as np


def median_time(reps, fn):
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ompsweep", required=True)
    ap.add_argument("--n", default="2^25")
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--out", default="numpy-rounds")
    a = ap.parse_args()
    n = int(eval(a.n.replace("^", "**"), {"__builtins__": {}}))
    rng = np.random.default_rng(1)
    x = rng.random(n)
    y = rng.random(n)
    z = np.empty(n)
    ints = rng.integers(0, 10, n, dtype=np.int32)
    np.add(x, y, out=z)  # first touch
    numpy_fns = {
        "vector_add": lambda: np.add(x, y, out=z),
        "mean_i32": lambda: ints.mean(),
        "mean_f64": lambda: x.mean(),
    }
    os.makedirs(a.out, exist_ok=True)
    env = dict(os.environ, OMP_PROC_BIND="close", OMP_PLACES="cores")
    ratios = {k: [] for k in numpy_fns}
    with open(os.path.join(a.out, "numpy-rounds.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["round", "workload", "n", "numpy_median_s", "ompsweep_median_s", "ratio"])
        for r in range(a.rounds):
            res = {}

            def run_numpy():
                for k, fn in numpy_fns.items():
                    res[("numpy", k)] = median_time(a.reps, fn)

            def run_osw():
                d = os.path.join(a.out, f"round-{r}")
                subprocess.run([a.ompsweep, "run", "--kernels", ",".join(numpy_fns),
                                "--sizes", str(n), "--threads", "1", "--schedules", "static",
                                "--reps", str(a.reps), "--quiet", "--force", "--out", d],
                               env=env, check=True, stderr=subprocess.DEVNULL)
                with open(os.path.join(d, "summary.csv")) as s:
                    for row in csv.DictReader(s):
                        res[("osw", row["kernel"])] = float(row["median_s"])

            for step in ((run_numpy, run_osw) if r % 2 == 0 else (run_osw, run_numpy)):
                step()
            for k in numpy_fns:
                ratio = res[("numpy", k)] / res[("osw", k)]
                ratios[k].append(ratio)
                w.writerow([r, k, n, f"{res[('numpy', k)]:.6g}", f"{res[('osw', k)]:.6g}",
                            f"{ratio:.3f}"])
    print("workload,n,rounds,ratio_min,ratio_median,ratio_max  (numpy time / ompsweep time)")
    for k, v in ratios.items():
        v.sort()
        print(f"{k},{n},{len(v)},{v[0]:.3f},{statistics.median(v):.3f},{v[-1]:.3f}")


if __name__ == "__main__":
    sys.exit(main())
