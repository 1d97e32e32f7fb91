#!/usr/bin/python3
"""rounds.py OMPSWEEP EPCC_DIR OUT_CSV ROUNDS: `empty` and `empty_static`
(--probe off) against EPCC v4 syncbench's PARALLEL FOR (built beside the
project, never committed), at 1 and 2 threads, OMP_PROC_BIND=close
OMP_PLACES=cores, the two tools in alternating order each round and the two
kernels interleaved in one ompsweep run (--order interleaved). One line per
round, threads and tool or kernel: EPCC's median_ovrhd, or ompsweep's
median_s and min_s of `run --kernels empty,empty_static --sizes T --threads
T --schedules static --reps 20 --probe off --order interleaved`, in
us."""
import csv
import os
import re
import subprocess
import sys
import tempfile

osw, edir, out, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["round", "threads", "tool", "median_us", "min_us"])
    for r in range(rounds):
        for t in (1, 2):
            env = dict(os.environ, OMP_PROC_BIND="close", OMP_PLACES="cores",
                       OMP_NUM_THREADS=str(t))
            for which in ((0, 1) if (r + t) % 2 == 0 else (1, 0)):
                if which == 0:
                    txt = subprocess.run([os.path.join(edir, "syncbench"), "--measureonly",
                                          "PARALLEL_FOR"], env=env, capture_output=True,
                                         text=True, check=True).stdout
                    med = float(re.search(r"PARALLEL FOR median_ovrhd = (-?[0-9.]+)", txt).group(1))
                    w.writerow([r + 1, t, "epcc", "%.4f" % med, ""])
                    continue
                with tempfile.TemporaryDirectory() as d:
                    subprocess.run([osw, "run", "--quiet", "--force", "--kernels",
                                    "empty,empty_static", "--sizes", str(t), "--threads", str(t),
                                    "--schedules", "static",
                                    "--reps", "20", "--probe", "off", "--order", "interleaved",
                                    "--seed", str(r + 1), "--out", d], env=env, check=True,
                                   capture_output=True)
                    for row in csv.DictReader(open(os.path.join(d, "summary.csv"))):
                        assert row["verified"] == "1"
                        w.writerow([r + 1, t, row["kernel"],
                                    "%.4f" % (float(row["median_s"]) * 1e6),
                                    "%.4f" % (float(row["min_s"]) * 1e6)])
        f.flush()
