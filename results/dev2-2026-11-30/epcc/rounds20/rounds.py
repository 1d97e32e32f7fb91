#!/usr/bin/python3
"""rounds.py OMPSWEEP EPCC_DIR OUT_CSV ROUNDS [THREADS [PROGRAMS [FLAGS...]]]: per round, in
alternating order, EPCC v4's five programs (syncbench, taskbench,
arraybench_1, _729, _59049; whole, default options) and one `ompsweep run`
of every matching construct kernel (20 samples, default n), at THREADS
threads (default 2), OMP_PROC_BIND=close OMP_PLACES=cores. One line per
round, tool and construct: the overhead per execution in ns at the median,
the fastest and the slowest repetition (EPCC: its test statistics less its
reference median, per inner repetition; ompsweep: the row's result, and each
extreme sample's time less the median sample's, over n, added to it), and n
(EPCC: the inner repetitions it chose). EPCC is built beside the project and
never committed (../README.md). PROGRAMS: a comma-separated subset of
EPCC's programs (default all five, "all"). FLAGS: epcc-n: after EPCC in
each round, ompsweep again at n = the inner repetitions EPCC chose for each
construct in that round (tool ompsweep_epcc_n; one run per distinct n);
split: ompsweep runs each kernel in a process of its own, not all in one;
second=PATH: each round also runs the ompsweep binary PATH (tool
ompsweep_second) right after the first, its rows taken verified or not
(for a build that changes a kernel's check)."""
import csv
import os
import re
import subprocess
import sys
import tempfile

osw, edir, out, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
threads = sys.argv[5] if len(sys.argv) > 5 else "2"
only = sys.argv[6].split(",") if len(sys.argv) > 6 and sys.argv[6] != "all" else None
epcc_n = "epcc-n" in sys.argv[7:]
split = "split" in sys.argv[7:]
second = next((a[7:] for a in sys.argv[7:] if a.startswith("second=")), None)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from epcc_names import MAP  # noqa: E402  (EPCC test -> ompsweep kernel)
env = dict(os.environ, OMP_PROC_BIND="close", OMP_PLACES="cores", OMP_NUM_THREADS=threads)
STATS = re.compile(r"^Computing (.+?) time using (\d+) reps.*?^Sample_size.*?\n\s*(\d+)\s+"
                   r"(-?[0-9.]+)\s+(-?[0-9.]+)\s+(-?[0-9.]+)\s+(-?[0-9.]+)", re.M | re.S)


def epcc(prog):
    txt = subprocess.run([os.path.join(edir, prog)], env=env, capture_output=True, text=True,
                         check=True).stdout
    blocks = [(m.group(1).strip(), int(m.group(2)), [float(m.group(i)) for i in (4, 5, 6, 7)])
              for m in STATS.finditer(txt)]
    got, ref = {}, None
    for name, n, (mean, med, lo, hi) in blocks:
        if name.startswith("reference"):
            ref = med  # the test after it is measured against this reference
        elif (prog, name) in MAP and ref is not None:
            got[name] = n, [(x - ref) * 1e3 for x in (med, lo, hi)]
    return got


def ours(kernels, n=None, binary=None):
    checked = binary is None
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([binary or osw, "run", "--quiet", "--force", "--kernels", ",".join(kernels),
                        "--threads", threads, "--schedules", "static", "--reps", "20", "--out", d] +
                       (["--sizes", str(n)] if n else []), env=env, check=checked,
                       capture_output=True)
        rows = {r["kernel"]: r for r in csv.DictReader(open(os.path.join(d, "summary.csv")))}
        samples = {}
        for s in csv.DictReader(open(os.path.join(d, "samples.csv"))):
            samples.setdefault(s["kernel"], []).append(float(s["seconds"]))
    got = {}
    for k, r in rows.items():
        assert r["verified"] == "1" or not checked, k
        t = sorted(samples[k])
        n, res = int(r["n"]), float(r["result"])
        med = t[len(t) // 2] if len(t) % 2 else (t[len(t) // 2 - 1] + t[len(t) // 2]) / 2
        got[k] = n, [res + (x - med) / n * 1e9 for x in (med, t[0], t[-1])]
    return got


with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["round", "tool", "program", "construct", "kernel", "median_ns", "min_ns", "max_ns",
                "n"])
    progs = sorted({p for p, _ in MAP if not only or p in only})
    mine = {pn: k for pn, k in MAP.items() if pn[0] in progs}
    for r in range(rounds):
        chosen = {}
        for which in ([0, 1] if r % 2 == 0 else [1, 0]):
            if which == 0:
                for prog in progs:
                    for name, (n, v) in sorted(epcc(prog).items()):
                        w.writerow([r + 1, "epcc", prog, name, MAP[(prog, name)]] +
                                   ["%.3f" % x for x in v] + [n])
                        chosen[(prog, name)] = n
            else:
                kernels = sorted(set(mine.values()))
                for tool, binary in [("ompsweep", None)] + ([("ompsweep_second", second)] if second else []):
                    got = {}
                    for part in ([[k] for k in kernels] if split else [kernels]):
                        got.update(ours(part, binary=binary))
                    for (prog, name), k in sorted(mine.items()):
                        n, v = got[k]
                        w.writerow([r + 1, tool, prog, name, k] + ["%.3f" % x for x in v] + [n])
        if epcc_n:
            for n in sorted(set(chosen.values())):
                keys = [pn for pn, m in chosen.items() if m == n]
                got = ours(sorted({mine[pn] for pn in keys}), n)
                for prog, name in sorted(keys):
                    m, v = got[mine[(prog, name)]]
                    w.writerow([r + 1, "ompsweep_epcc_n", prog, name, mine[(prog, name)]] +
                               ["%.3f" % x for x in v] + [m])
        f.flush()
