#!/usr/bin/python3
"""modes.py OMPSWEEP EPCC_DIR OUT_CSV ROUNDS [CONSTRUCTS]: per round, in
alternating order, EPCC v4's syncbench (--measureonly, one construct at a
time, its default 20 outer repetitions) and `ompsweep run` of the matching
kernels (20 samples) at 2 threads, OMP_PROC_BIND=close OMP_PLACES=cores.
One line per round, tool and construct: the overhead per execution in ns at
the median, the fastest and the slowest repetition (EPCC: its test
statistics less its reference median; ompsweep: each sample's time less the
reference, (t_i - median t) / n added to the row's result), and n (EPCC's
inner repetitions). EPCC is built beside the project, never committed: see
../README.md. CONSTRUCTS: comma-separated EPCC names (default CRITICAL,LOCK_CONTENDED)."""
import csv
import os
import re
import subprocess
import sys
import tempfile

osw, edir, out, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
names = (sys.argv[5] if len(sys.argv) > 5 else "CRITICAL,LOCK_CONTENDED").split(",")
KERNEL = {"CRITICAL": "sync_critical", "LOCK_CONTENDED": "sync_lock", "ATOMIC": "sync_atomic",
          "BARRIER": "sync_barrier", "SINGLE": "sync_single", "ORDERED": "sync_ordered",
          "PARALLEL": "sync_parallel", "REDUCTION": "sync_reduction"}
env = dict(os.environ, OMP_PROC_BIND="close", OMP_PLACES="cores", OMP_NUM_THREADS="2")
STATS = re.compile(r"^Computing (.+?) time using (\d+) reps.*?^Sample_size.*?\n\s*(\d+)\s+"
                   r"(-?[0-9.]+)\s+(-?[0-9.]+)\s+(-?[0-9.]+)\s+(-?[0-9.]+)", re.M | re.S)


def epcc(name):
    txt = subprocess.run([os.path.join(edir, "syncbench"), "--measureonly", name], env=env,
                         capture_output=True, text=True, check=True).stdout
    blocks = {m.group(1): (int(m.group(2)), [float(m.group(i)) for i in (4, 5, 6, 7)])
              for m in STATS.finditer(txt)}
    ref = next(v for k, v in blocks.items() if k.startswith("reference"))[1][1]  # its median
    n, (mean, med, lo, hi) = blocks[name]
    return n, [(x - ref) * 1e3 for x in (med, lo, hi)]


def ours(kernels):
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([osw, "run", "--quiet", "--force", "--kernels", ",".join(kernels),
                        "--threads", "2", "--schedules", "static", "--reps", "20", "--out", d],
                       env=env, check=True, capture_output=True)
        rows = {r["kernel"]: r for r in csv.DictReader(open(os.path.join(d, "summary.csv")))}
        samples = {}
        for s in csv.DictReader(open(os.path.join(d, "samples.csv"))):
            samples.setdefault(s["kernel"], []).append(float(s["seconds"]))
    got = {}
    for k, r in rows.items():
        assert r["verified"] == "1", k
        t = sorted(samples[k])
        n, res = int(r["n"]), float(r["result"])
        med = t[len(t) // 2] if len(t) % 2 else (t[len(t) // 2 - 1] + t[len(t) // 2]) / 2
        got[k] = n, [res + (x - med) / n * 1e9 for x in (med, t[0], t[-1])]
    return got


with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["round", "tool", "construct", "median_ns", "min_ns", "max_ns", "n"])
    for r in range(rounds):
        for which in ([0, 1] if r % 2 == 0 else [1, 0]):
            if which == 0:
                for name in names:
                    n, v = epcc(name)
                    w.writerow([r + 1, "epcc", name] + ["%.3f" % x for x in v] + [n])
            else:
                got = ours([KERNEL[x] for x in names])
                for name in names:
                    n, v = got[KERNEL[name]]
                    w.writerow([r + 1, "ompsweep", name] + ["%.3f" % x for x in v] + [n])
        f.flush()
