#!/usr/bin/env python3
"""The forkjoin kernels' wait-policy trade-off, on 2 threads (label kernel).

    forkjoin_tests.py OMPSWEEP WORK

One attempt: one run, `ompsweep run --kernels forkjoin,forkjoin_1ms --threads 2
--wait-policy active,passive` (100 regions each; every configuration in a
process of its own with its OMP_WAIT_POLICY). It shows the
trade-off when
  - at the 10 us gap (forkjoin) active's median wall time is below
    passive's (a passive worker must be woken for every region), and
  - at the 1 ms gap (forkjoin_1ms) passive's cpu_per_wall is below active's
    by at least 0.3 (an active worker spins through every gap).
Best of 3 attempts: exit 0 at the first attempt that shows both, 1 when none
does, with every attempt's numbers. The premise is two cores for the two
threads: when none of the attempts shows it and the 1-minute load average
was above the CPU count throughout (other processes took the cores; an
active spinner then steals the time of the thread doing the work), exit 77
(skipped) with the numbers. Every row must verify in any case."""
import csv
import os
import subprocess
import sys

ompsweep, work = sys.argv[1:3]
N = str(100 * 20000)  # 100 regions: n counts ns of region work


def measure(out):
    """{policy: {kernel: (median_s, cpu_per_wall)}} of one run over both policies."""
    p = subprocess.run([ompsweep, "run", "--kernels", "forkjoin,forkjoin_1ms", "--sizes", N,
                        "--threads", "2", "--schedules", "static", "--wait-policy",
                        "active,passive", "--reps", "3", "--quiet", "--force", "--out", out],
                       capture_output=True, text=True, timeout=250)
    if p.returncode != 0:
        print(f"FAIL: exit {p.returncode}: {p.stderr}")
        sys.exit(1)
    with open(os.path.join(out, "summary.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    got = {"active": {}, "passive": {}}
    for r in rows:
        if r["verified"] != "1":
            print(f"FAIL {r['kernel']} {r['env']}: not verified: {r}")
            sys.exit(1)
        got[r["env"].split("=")[1]][r["kernel"]] = (float(r["median_s"]), float(r["cpu_per_wall"]))
    return got


os.makedirs(work, exist_ok=True)
lines, loaded = [], True
for attempt in range(1, 4):
    load_before = os.getloadavg()[0]
    both = measure(os.path.join(work, "run"))
    a, p = both["active"], both["passive"]
    load_after = os.getloadavg()[0]
    wall_ok = a["forkjoin"][0] < p["forkjoin"][0]
    cpu_ok = p["forkjoin_1ms"][1] <= a["forkjoin_1ms"][1] - 0.3
    lines.append(f"attempt {attempt}: 10 us gap wall active {a['forkjoin'][0] * 1e3:.2f} ms, "
                 f"passive {p['forkjoin'][0] * 1e3:.2f} ms; 1 ms gap cpu/wall active "
                 f"{a['forkjoin_1ms'][1]:.2f}, passive {p['forkjoin_1ms'][1]:.2f}; load average "
                 f"{load_before:.1f} -> {load_after:.1f}")
    print(lines[-1])
    if wall_ok and cpu_ok:
        sys.exit(0)
    loaded = loaded and min(load_before, load_after) > os.cpu_count()
if loaded:
    print(f"SKIP: the trade-off needs two free cores; the load average stayed above "
          f"{os.cpu_count()} CPUs in every attempt")
    sys.exit(77)
print("FAIL: no attempt showed the trade-off:\n  " + "\n  ".join(lines))
sys.exit(1)
