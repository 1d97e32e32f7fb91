#!/usr/bin/env python3
"""Every construct kernel's check can fail (label kernel).

    cx_fault_tests.py OMPSWEEP FAMILY WORK

FAMILY is syncbench, taskbench or arraybench. The test hook OSW_CX_FAULT (a
comma-separated list of construct kernel names, read in the kernels' setup;
docs/kernels.md) makes the named kernels break the guarantee their check
verifies. Two runs of `ompsweep run --kernels FAMILY --threads 1,2 --sizes 130`,
the first with the family's even-numbered kernels named, the second with the
odd-numbered ones: each run must exit 1 (docs/errors.md: a configuration
failed verification), every row of a named kernel must read verified=0 and
its kernel must be named on stderr, and every row of a kernel not named must
read verified=1 (the hook breaks only what it names)."""
import csv
import os
import subprocess
import sys


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def main():
    osw, family, work = sys.argv[1], sys.argv[2], sys.argv[3]
    prefix = {"syncbench": "sync_", "taskbench": "task_", "arraybench": "array_"}[family]
    listing = subprocess.run([osw, "list"], capture_output=True, text=True, check=True).stdout
    kernels = [line.split()[0] for line in listing.splitlines()[1:]
               if line.split() and line.split()[0].startswith(prefix)]
    if len(kernels) < 9:
        fail("%s: only %d kernels listed" % (family, len(kernels)))
    os.makedirs(work, exist_ok=True)
    for half in (0, 1):
        named = kernels[half::2]
        out = os.path.join(work, "half%d" % half)
        env = dict(os.environ, OSW_CX_FAULT=",".join(named))
        env.pop("OMP_NUM_THREADS", None)
        p = subprocess.run([osw, "run", "--quiet", "--force", "--kernels", family, "--threads", "1,2",
                            "--sizes", "130", "--schedules", "static", "--reps", "1", "--out", out],
                           env=env, capture_output=True, text=True)
        if p.returncode != 1:
            fail("half %d: exit status %d, want 1; stderr: %s" % (half, p.returncode, p.stderr))
        with open(os.path.join(out, "summary.csv")) as f:
            rows = list(csv.DictReader(f))
        seen = {}
        for r in rows:
            k = r["kernel"]
            seen[k] = seen.get(k, 0) + 1
            want = "0" if k in named else "1"
            if r["verified"] != want:
                fail("half %d: %s threads %s: verified=%s, want %s" %
                     (half, k, r["threads"], r["verified"], want))
        for k in kernels:
            if seen.get(k) != 2:
                fail("half %d: %s has %s rows, want 2 (threads 1, 2)" % (half, k, seen.get(k)))
        for k in named:
            if k not in p.stderr:
                fail("half %d: stderr does not name %s: %s" % (half, k, p.stderr))
        print("half %d: %d kernels broken by the hook, verified=0 and exit 1; %d intact, verified=1" %
              (half, len(named), len(kernels) - len(named)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
