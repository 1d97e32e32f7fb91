#!/usr/bin/env python3
"""Environment axes of `ompsweep run` (label env): every configuration in a
child process with its own environment (lib/child.h).

Usage: env_tests.py CASE OMPSWEEP WORKDIR"""
import csv
import json
import os
import shutil
import subprocess
import sys

case, ompsweep, work = sys.argv[1], sys.argv[2], sys.argv[3]
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


def run(*args, env=None):
    return subprocess.run([ompsweep, *args], capture_output=True, text=True,
                          env=dict(os.environ, **(env or {})))


def rows(out, name="summary.csv"):
    with open(os.path.join(out, name), newline="") as f:
        return list(csv.DictReader(f))


FAST = ["--sizes", "2e4", "--reps", "3", "--warmup", "0", "--min-time", "0", "--quiet"]


def case_child():
    """Rows carry env; the runtime of the child read it: OMP_THREAD_LIMIT=1
    shrinks the team of its configurations only; samples.csv has the key."""
    out = os.path.join(work, "child")
    p = run("run", "--kernels", "countdown,triad", "--threads", "1,2", "--schedules", "static",
            "--env", "OMP_THREAD_LIMIT=1,default", "--wait-policy", "passive", *FAST,
            "--out", out)
    check(p.returncode == 0, f"child: exit {p.returncode}: {p.stderr}")
    r = rows(out)
    check(len(r) == 8, f"child: {len(r)} rows, want 2 kernels x 2 limits x 2 threads")
    check(all(x["verified"] == "1" for x in r), "child: a row failed verification")
    for x in r:
        limited = "OMP_THREAD_LIMIT=1" in x["env"]
        want = "1" if limited or x["threads"] == "1" else "2"
        check(x["threads_ran"] == want,
              f"child: {x['kernel']} threads={x['threads']} env={x['env']}: ran {x['threads_ran']}")
        check(x["env"].startswith("OMP_WAIT_POLICY=passive;OMP_THREAD_LIMIT="),
              f"child: env {x['env']}")
    s = rows(out, "samples.csv")
    check(len(s) == 8 * 3 and {y["env"] for y in s} == {x["env"] for x in r},
          f"child: samples.csv keys {sorted({y['env'] for y in s})}")
    meta = json.load(open(os.path.join(out, "meta.json")))
    check(meta.get("env_axes") == {"OMP_THREAD_LIMIT": ["1", "default"],
                                   "OMP_WAIT_POLICY": ["passive"]}, f"child: meta {meta}")
    # speedup is against the 1-thread row of the same env
    two = [x for x in r if x["threads"] == "2" and "default" in x["env"]]
    check(all(x["speedup"] for x in two), f"child: no speedup on {two}")
    # --resume of the finished run measures nothing more
    p = run("run", "--kernels", "countdown,triad", "--threads", "1,2", "--schedules", "static",
            "--env", "OMP_THREAD_LIMIT=1,default", "--wait-policy", "passive", *FAST[:-1],
            "--out", out, "--resume")
    check(p.returncode == 0 and "8 of 8 configurations already" in p.stderr,
          f"child: resume: exit {p.returncode}: {p.stderr}")
    # compare matches the configurations by env too
    p = run("compare", out, out, "--format", "csv")
    lines = p.stdout.strip().split("\n")
    check(p.returncode == 0 and len(lines) == 9 and lines[0].endswith(",env"),
          f"child: compare: exit {p.returncode}: {p.stdout} {p.stderr}")
    # tune puts the swept variables into the export line
    p = run("tune", out, "--format", "json")
    check(p.returncode == 0, f"child: tune: exit {p.returncode}: {p.stderr}")
    if p.returncode == 0:
        t = json.loads(p.stdout)
        lines = [g.get("export") or "" for g in t.get("kernels", [])]
        check(lines and all("OMP_WAIT_POLICY=passive" in e for e in lines if e),
              f"child: tune export lines {lines}")


def case_usage():
    """Nested teams are exec's; a bad value is one line and exit 2."""
    for args, why in ((["--threads", "2x2"], "nested teams (AxB) apply to exec"),
                      (["--bind", "tight"], "'tight' is not a value of OMP_PROC_BIND"),
                      (["--spin-count", "lots"], "not a value of GOMP_SPINCOUNT"),
                      (["--env", "NOEQUALS"], "must be NAME=VALUE"),
                      (["--env", "1X=2"], "is not a variable name")):
        p = run("run", "--kernels", "countdown", *args, "--out", os.path.join(work, "bad"))
        check(p.returncode == 2 and why in p.stderr and p.stderr.count("\n") == 1,
              f"usage {args}: exit {p.returncode}: {p.stderr!r}")


CASES = {"child": case_child, "usage": case_usage}

if __name__ == "__main__":
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    CASES[case]()
    for m in failures:
        print(f"FAIL [{case}] {m}", file=sys.stderr)
    sys.exit(1 if failures else 0)
