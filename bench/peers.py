#!/usr/bin/env python3
"""The notebooks' workloads, measured side by side in one run on one machine.

Peers: numpy's mean() and a + b, a pure-Python loop (on a smaller n, scaled
linearly, and marked so), Python multiprocessing with 2 processes and
threading with 2 threads (the GIL), against `ompsweep` at 1, 2 and all cores.

Usage: bench/peers.py --ompsweep build/cli/ompsweep --out DIR [--n 1e8]
Writes DIR/peers.csv with one row per measurement:
  workload,tool,workers,n,seconds,seconds_per_elem,gbps,measured_n,scaled
`scaled` is 1 when the time was measured on measured_n < n and scaled by
n / measured_n (pure-Python loops: linear in n). Best of --reps runs.
"""
import argparse
import csv
import multiprocessing as mp
import os
import subprocess
import sys
import tempfile
import threading
import time


def best_of(reps, fn):
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def py_sum(values):
    total = 0
    for v in values:
        total += v
    return total


def py_countdown(n):
    while n > 0:
        n -= 1


def py_sum_range_digits(bounds):
    lo, hi = bounds
    total = 0
    for i in range(lo, hi):
        total += i % 10
    return total


def run_ompsweep(binary, kernel, n, threads, reps):
    out = tempfile.mkdtemp(prefix="peers-")
    env = dict(os.environ, OMP_PROC_BIND="close", OMP_PLACES="cores")
    cmd = [binary, "run", "--kernels", kernel, "--sizes", str(n), "--threads", str(threads),
           "--schedules", "static", "--reps", str(reps), "--out", out, "--force", "--quiet"]
    subprocess.run(cmd, check=True, env=env, stderr=subprocess.DEVNULL)
    with open(os.path.join(out, "summary.csv"), newline="") as f:
        row = next(csv.DictReader(f))
    if row["verified"] != "1":
        raise SystemExit(f"peers: ompsweep {kernel} failed verification")
    return float(row["min_s"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ompsweep", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--n", type=float, default=1e8)
    ap.add_argument("--py-n", type=float, default=1e7, help="n for pure-Python loops")
    ap.add_argument("--reps", type=int, default=5)
    args = ap.parse_args()
    n, py_n, reps = int(args.n), int(args.py_n), args.reps
    try:
        import numpy as np
    except ImportError:
        sys.exit("peers: numpy is missing (Debian: python3-numpy)")
    os.makedirs(args.out, exist_ok=True)
    cores = len(os.sched_getaffinity(0))
    rows = []

    def add(workload, tool, workers, seconds, bytes_per_elem, measured_n=None):
        measured_n = measured_n or n
        scale = n / measured_n
        total = seconds * scale
        gbps = bytes_per_elem * n / total / 1e9 if bytes_per_elem else ""
        rows.append([workload, tool, workers, n, f"{total:.6f}", f"{total / n:.3e}",
                     f"{gbps:.3f}" if gbps != "" else "", measured_n, int(scale != 1)])
        print(f"{workload:10s} {tool:48s} {workers:3d}  {total:10.4f} s", file=sys.stderr)

    rng = np.random.default_rng(1)
    doubles = rng.random(n)
    ints = rng.integers(0, 10, n, dtype=np.int32)
    other = rng.random(n)

    # mean of doubles
    add("mean_f64", "numpy mean", 1, best_of(reps, doubles.mean), 8)
    plist = doubles[:py_n].tolist()
    add("mean_f64", "python loop", 1, best_of(max(1, reps // 2), lambda: py_sum(plist) / py_n), 8,
        py_n)
    halves = [plist[: py_n // 2], plist[py_n // 2:]]
    with mp.Pool(2) as pool:
        pool.map(py_sum, [[0.0], [0.0]])
        add("mean_f64", "python multiprocessing (lists pickled to workers)", 2,
            best_of(max(1, reps // 2), lambda: sum(pool.map(py_sum, halves)) / py_n), 8, py_n)
    del plist, halves

    # mean of int32 digits (the notebooks' randint(0, 10))
    add("mean_i32", "numpy mean", 1, best_of(reps, ints.mean), 4)
    ilist = ints[:py_n].tolist()
    add("mean_i32", "python loop", 1, best_of(max(1, reps // 2), lambda: py_sum(ilist) / py_n), 4,
        py_n)
    with mp.Pool(2) as pool:
        bounds = [(0, py_n // 2), (py_n // 2, py_n)]
        pool.map(py_sum_range_digits, [(0, 1), (0, 1)])
        add("mean_i32", "python multiprocessing (values made in workers)", 2,
            best_of(max(1, reps // 2), lambda: pool.map(py_sum_range_digits, bounds)), 4, py_n)
    del ilist

    # vector add
    out = np.empty_like(doubles)
    add("vector_add", "numpy a+b", 1, best_of(reps, lambda: np.add(doubles, other, out=out)), 24)
    del out

    # countdown: the notebooks' `while n > 0: n -= 1`
    add("countdown", "python loop", 1, best_of(max(1, reps // 2), lambda: py_countdown(py_n)), 0,
        py_n)

    def two_threads():
        ts = [threading.Thread(target=py_countdown, args=(py_n // 2,)) for _ in range(2)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()

    add("countdown", "python threading", 2, best_of(max(1, reps // 2), two_threads), 0, py_n)
    with mp.Pool(2) as pool:
        pool.map(py_countdown, [1, 1])
        add("countdown", "python multiprocessing", 2,
            best_of(max(1, reps // 2), lambda: pool.map(py_countdown, [py_n // 2] * 2)), 0, py_n)

    bytes_of = {"mean_f64": 8, "mean_i32": 4, "vector_add": 24, "countdown": 0}
    for threads in sorted({1, 2, cores}):
        for kernel, b in bytes_of.items():
            add(kernel, "ompsweep", threads, run_ompsweep(args.ompsweep, kernel, n, threads, reps), b)

    path = os.path.join(args.out, "peers.csv")
    with open(path + ".tmp", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["workload", "tool", "workers", "n", "seconds", "seconds_per_elem", "gbps",
                    "measured_n", "scaled"])
        w.writerows(rows)
    os.replace(path + ".tmp", path)
    print(f"peers: {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
