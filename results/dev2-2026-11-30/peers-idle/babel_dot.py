#!/usr/bin/python3
"""babel_dot.py OMPSWEEP BABEL_OMP_STREAM OUT_CSV ROUNDS [FLAG...]: mean_f64 (and the
read ceiling) against BabelStream's Dot (OpenMP model, built beside the
project, never committed), n = 2^25 doubles, 1 and 2 threads,
OMP_PROC_BIND=close OMP_PLACES=cores, the two tools in alternating order
each round. One line per round, threads and tool or kernel: best GB/s
(BabelStream's max_GB_per_sec; ompsweep's n * bytes / min_s) and typical
GB/s (BabelStream's bytes / avg_runtime; ompsweep's gbps_median).
BabelStream counts 16 bytes per element (a and b), ompsweep 8 (a).
FLAGs go to `ompsweep run` (e.g. --huge-pages off)."""
import csv
import io
import os
import subprocess
import sys
import tempfile

osw, babel, out, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
flags = sys.argv[5:]
N = 1 << 25
with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["round", "threads", "tool", "best_gbps", "typical_gbps"])
    for r in range(rounds):
        for t in (1, 2):
            env = dict(os.environ, OMP_PROC_BIND="close", OMP_PLACES="cores",
                       OMP_NUM_THREADS=str(t))
            for which in ((0, 1) if (r + t) % 2 == 0 else (1, 0)):
                if which == 0:
                    txt = subprocess.run([babel, "--only", "Dot", "-s", str(N), "-n", "20",
                                          "--csv", "--gigabytes"], env=env, check=True,
                                         capture_output=True, text=True).stdout
                    row = next(csv.DictReader(io.StringIO(txt)))
                    typical = 16 * N / float(row["avg_runtime"]) / 1e9
                    w.writerow([r + 1, t, "babelstream_dot", row["max_GB_per_sec"],
                                "%.4f" % typical])
                    continue
                with tempfile.TemporaryDirectory() as d:
                    subprocess.run([osw, "run", "--quiet", "--force", "--kernels",
                                    "mean_f64,ceiling_read4", "--sizes", str(N), "--threads",
                                    str(t), "--schedules", "static", "--reps", "20", "--order",
                                    "interleaved", "--seed", str(r + 1), "--out", d] + flags, env=env,
                                   check=True, capture_output=True)
                    for row in csv.DictReader(open(os.path.join(d, "summary.csv"))):
                        assert row["verified"] == "1"
                        best = 8 * N / float(row["min_s"]) / 1e9
                        w.writerow([r + 1, t, row["kernel"], "%.4f" % best, row["gbps_median"]])
        f.flush()
