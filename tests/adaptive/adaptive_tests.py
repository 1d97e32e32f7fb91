#!/usr/bin/env python3
"""Adaptive sampling, run order and affinity warnings of `ompsweep run`
(label adaptive).

usage: adaptive_tests.py OMPSWEEP CASE

Cases: ci (a loose --ci-target stops on the CI), max_reps, max_time
(varying sample counts), fixed, usage (flag errors), shuffled (same
configurations as sequential, another order, speedups from the medians),
shared_core (two threads bound to one core: warned once), smt (threads
beyond the physical cores of a cpu-bound kernel: warned).

Exit 0 pass, 1 fail, 77 skip. The stopping rules are checked where their
outcome does not depend on the machine's noise: a 50% CI target is met
within 1000 samples by any timing distribution with a central mass, a
1e-4% one is never met.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

SKIP = 77
OMPSWEEP = os.path.abspath(sys.argv[1])
CASE = sys.argv[2]
KEY = ("kernel", "n", "threads", "schedule", "chunk")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def run(args, env_extra=None, **kw):
    env = dict(os.environ)
    env.update(env_extra or {})
    return subprocess.run([OMPSWEEP, "run"] + args, capture_output=True, text=True, timeout=60,
                          env=env, **kw)


def read(out, name):
    with open(os.path.join(out, name), newline="") as f:
        return list(csv.DictReader(f))


def meta(out):
    with open(os.path.join(out, "meta.json")) as f:
        return json.load(f)


def consistent(out):
    """samples.csv has reps rows, numbered 1..reps, per summary row; returns the summary."""
    rows = read(out, "summary.csv")
    per = {}
    for s in read(out, "samples.csv"):
        per.setdefault(tuple(s[k] for k in KEY), []).append(s["rep"])
    for r in rows:
        got = per.pop(tuple(r[k] for k in KEY), [])
        check(got == [str(i) for i in range(1, int(r["reps"]) + 1)],
              f"{r['threads']} {r['schedule']}: {len(got)} samples, reps {r['reps']}")
    check(not per, f"samples without a summary row: {sorted(per)}")
    return rows


def ci_width(r):
    return (float(r["ci_hi_s"]) - float(r["ci_lo_s"])) / float(r["median_s"])


MEAN = ["--kernels", "mean_f64", "--sizes", "1e5", "--threads", "1,2", "--schedules",
        "static,guided", "--quiet"]


def case_ci(tmp):
    out = os.path.join(tmp, "out")
    p = run(MEAN + ["--reps", "auto", "--ci-target", "50", "--max-reps", "1000",
                    "--max-time", "20", "--out", out])
    check(p.returncode == 0, f"exit {p.returncode}: {p.stderr}")
    for r in consistent(out):
        check(r["stop_reason"] == "ci", f"stop_reason {r['stop_reason']}")
        check(10 <= int(r["reps"]) <= 1000, f"reps {r['reps']} within the bounds")
        check(ci_width(r) <= 0.5, f"CI width {ci_width(r):.3f} <= 50%")
    m = meta(out)
    check(m.get("reps") == "auto" and m.get("ci_target_pct") == 50 and m.get("min_reps") == 10
          and m.get("max_reps") == 1000 and m.get("max_time_s") == 20, f"meta settings {m}")
    check("reps=auto(ci=50%,min=10,max=1000,time=20s)" in m.get("config_key", ""), "config_key")


def case_max_reps(tmp):
    out = os.path.join(tmp, "out")
    p = run(MEAN + ["--reps", "auto", "--ci-target", "0.0001", "--min-reps", "6",
                    "--max-reps", "12", "--out", out])
    check(p.returncode == 0, f"exit {p.returncode}: {p.stderr}")
    for r in consistent(out):
        check(r["stop_reason"] == "max_reps" and r["reps"] == "12",
              f"stop_reason {r['stop_reason']} reps {r['reps']}")


def case_max_time(tmp):
    # wait at n=2e6: 40 items of 50 us, ~2 ms a sample on 1 thread and
    # ~0.6 ms on 4: a 0.1 s budget ends both, at different counts.
    out = os.path.join(tmp, "out")
    p = run(["--kernels", "wait", "--sizes", "2e6", "--threads", "1,4", "--schedules", "static",
             "--quiet", "--min-time", "0", "--warmup", "0", "--reps", "auto", "--ci-target",
             "0.0001", "--min-reps", "2", "--max-reps", "100000", "--max-time", "0.1",
             "--out", out])
    check(p.returncode == 0, f"exit {p.returncode}: {p.stderr}")
    rows = consistent(out)
    for r in rows:
        check(r["stop_reason"] == "max_time", f"stop_reason {r['stop_reason']}")
        check(2 <= int(r["reps"]) < 100000, f"reps {r['reps']}")
    check(len({r["reps"] for r in rows}) == len(rows), f"counts vary: {[r['reps'] for r in rows]}")


def case_fixed(tmp):
    out = os.path.join(tmp, "out")
    p = run(MEAN + ["--reps", "3", "--out", out])
    check(p.returncode == 0, f"exit {p.returncode}")
    for r in consistent(out):
        check(r["stop_reason"] == "fixed" and r["reps"] == "3", f"{r['stop_reason']} {r['reps']}")
    m = meta(out)
    check(m.get("reps") == 3 and "ci_target_pct" not in m, "meta reps 3")
    check(m.get("order") == "sequential" and m.get("seed") is None, "meta order sequential")
    check(isinstance(m.get("thread_migrations"), dict) and
          all(isinstance(v, int) and v > 0 for v in m["thread_migrations"].values()),
          f"thread_migrations {m.get('thread_migrations')}")


def case_usage(tmp):
    out = os.path.join(tmp, "out")
    base = ["--kernels", "mean_f64", "--sizes", "1e4", "--threads", "1", "--quiet", "--out", out]
    for args, text in ((["--ci-target", "5"], "--ci-target applies only with --reps auto"),
                       (["--max-reps", "5"], "--max-reps applies only with --reps auto"),
                       (["--reps", "auto", "--min-reps", "20", "--max-reps", "10"],
                        "--max-reps 10 is below --min-reps 20"),
                       (["--reps", "auto", "--ci-target", "0"], "--ci-target '0'"),
                       (["--reps", "auto", "--max-time", "-1"], "--max-time '-1'"),
                       (["--reps", "autox"], "--reps 'autox'"),
                       (["--order", "random"], "--order 'random'"),
                       (["--seed", "5"], "--seed applies only with --order shuffled"),
                       (["--order", "shuffled", "--seed", "x"], "--seed 'x'"),
                       (["--resume"], None)):
        p = run(base[:-2] + args if args == ["--resume"] else base + args)
        if text is None:  # --resume without --out
            check(p.returncode == 2 and "--out" in p.stderr, f"--resume alone: {p.stderr!r}")
            continue
        check(p.returncode == 2 and text in p.stderr, f"{args}: exit {p.returncode} {p.stderr!r}")
        check(not os.path.exists(out), f"{args}: nothing written")


def case_shuffled(tmp):
    plan = ["--kernels", "mean_f64,countdown", "--sizes", "1e4", "--threads", "1,2,3",
            "--schedules", "static,dynamic:64,guided", "--reps", "3", "--quiet"]
    outs = {}
    for name, extra in (("seq", []), ("shuf", ["--order", "shuffled", "--seed", "42"]),
                        ("again", ["--order", "shuffled", "--seed", "42"]),
                        ("clock", ["--order", "shuffled"])):
        outs[name] = os.path.join(tmp, name)
        p = run(plan + extra + ["--out", outs[name]])
        check(p.returncode == 0, f"{name}: exit {p.returncode}: {p.stderr}")
    seq, shuf = read(outs["seq"], "summary.csv"), read(outs["shuf"], "summary.csv")
    order = [tuple(r[k] for k in KEY) for r in shuf]
    check(sorted(order) == sorted(tuple(r[k] for k in KEY) for r in seq),
          "shuffled: the same configurations as sequential")
    check(len(set(order)) == len(order) == 18, "each configuration once")
    check(order != [tuple(r[k] for k in KEY) for r in seq], "shuffled: another file order")
    check(order == [tuple(r[k] for k in KEY) for r in read(outs["again"], "summary.csv")],
          "the same seed gives the same order")
    consistent(outs["shuf"])
    m = meta(outs["shuf"])
    check(m.get("order") == "shuffled" and m.get("seed") == 42, "meta order and seed")
    seed = meta(outs["clock"]).get("seed")
    check(isinstance(seed, int) and 0 <= seed < 2 ** 53, f"a clock seed is recorded: {seed}")
    base = {(r["kernel"], r["n"], r["schedule"], r["chunk"]): r for r in shuf
            if r["threads"] == "1"}
    t1 = {(r["kernel"], r["n"]): float(r["median_s"]) for r in shuf
          if r["threads"] == "1" and r["schedule"] == "static" and r["chunk"] == "0"}
    for r in shuf:
        b = base[(r["kernel"], r["n"], r["schedule"], r["chunk"])]
        if r["verified"] != "1":
            continue
        want = float(b["median_s"]) / float(r["median_s"])
        check(r["speedup"] != "" and abs(float(r["speedup"]) - want) <= 2e-5 * want,
              f"speedup {r['speedup']} == median1/median_p {want:.6g}")
        check(abs(float(r["efficiency"]) - want / int(r["threads"])) <= 2e-5 * want,
              f"efficiency {r['efficiency']}")
        p = int(r["threads"])
        over = (float(r["median_s"]) - t1[(r["kernel"], r["n"])] / p) * p / int(r["n"]) * 1e9
        check(abs(float(r["overhead_ns"]) - over) <= 2e-3 + 1e-5 * abs(over),
              f"overhead_ns {r['overhead_ns']} vs {over:.3f}")


def cores_of_cpus():
    cpus = sorted(os.sched_getaffinity(0))
    core = {}
    for c in cpus:
        try:
            base = f"/sys/devices/system/cpu/cpu{c}/topology/"
            core[c] = (open(base + "physical_package_id").read().strip(),
                       open(base + "core_id").read().strip())
        except OSError:
            return cpus, None
    return cpus, core


def case_shared_core(tmp):
    cpus, core = cores_of_cpus()
    pair = None
    if core:
        pair = next(((a, b) for a in cpus for b in cpus if core[a] != core[b]), None)
    if not pair:
        print("skip: needs two CPUs on different physical cores")
        sys.exit(SKIP)
    out = os.path.join(tmp, "out")
    # Two places on two cores, but every thread bound to the primary's place.
    env = {"OMP_PLACES": "{%d},{%d}" % pair, "OMP_PROC_BIND": "primary"}
    p = run(["--kernels", "mean_f64", "--sizes", "1e5", "--threads", "2", "--schedules",
             "static,guided", "--reps", "3", "--out", out], env)
    check(p.returncode == 0, f"exit {p.returncode}: {p.stderr}")
    said = [line for line in p.stderr.splitlines() if "ran on one physical core" in line]
    check(len(said) == 1, f"warned once on stderr: {p.stderr!r}")
    warned = [w for w in meta(out).get("warnings", []) if "ran on one physical core" in w]
    check(len(warned) == 1, "and once in meta.json")


def case_smt(tmp):
    cpus, _ = cores_of_cpus()
    out = os.path.join(tmp, "out")
    one = cpus[0]
    p = run(["--kernels", "countdown", "--sizes", "1e4", "--threads", "1,2", "--schedules",
             "static", "--reps", "2", "--out", out],
            preexec_fn=lambda: os.sched_setaffinity(0, {one}))
    check(p.returncode == 0, f"exit {p.returncode}: {p.stderr}")
    said = [line for line in p.stderr.splitlines() if "exceed the 1 physical core" in line]
    check(len(said) == 1, f"warned once: {p.stderr!r}")
    check(any("exceed the 1 physical core" in w for w in meta(out).get("warnings", [])),
          "in meta.json")
    # A memory-bound kernel is not warned.
    p = run(["--kernels", "triad", "--sizes", "1e4", "--threads", "2", "--schedules", "static",
             "--reps", "2", "--out", os.path.join(tmp, "m")],
            preexec_fn=lambda: os.sched_setaffinity(0, {one}))
    check("physical core available" not in p.stderr, f"not for triad: {p.stderr!r}")


CASES = {"ci": case_ci, "max_reps": case_max_reps, "max_time": case_max_time,
         "fixed": case_fixed, "usage": case_usage, "shuffled": case_shuffled,
         "shared_core": case_shared_core, "smt": case_smt}

with tempfile.TemporaryDirectory(prefix="osw-adaptive-") as tmp:
    CASES[CASE](tmp)
for f in failures:
    print("FAIL:", f)
print("ok" if not failures else f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
