#!/usr/bin/env python3
"""Tests of `ompsweep exec --check` (label exec; the tune case also tune).

    check_tests.py CASE OMPSWEEP RACE_SUM SRC_DIR WORK GCC CLANG

race: a loop with a missing reduction (race_sum): the 1-thread rows verify,
  the 2-thread rows fail with status wrong_result, the run exits 1.
miscompile: runtime_reduction.c built here by clang -O2 -fopenmp and by gcc;
  exec --check against the gcc build (--check-ref-cmd): every clang row
  fails, every gcc row passes (schedules static and dynamic:1000: with
  dynamic's default chunk of 1 the 2-thread clang build happens to be right). Skipped (77) where clang or gcc is missing,
  clang cannot build OpenMP (libomp-dev), or clang computes the right sum.
options: --expect (agrees, disagrees, --rtol), no_check, and the usage
  errors (exit 2, one line).
tune: tune never recommends a row --check failed.
energy: the energy_j column of run and exec, from a fixture powercap tree
  (OSW_POWERCAP_ROOT; its counters stand still: 0 J) and from none (empty,
  and meta.json's energy member says why).

Exit 0 when the case passes, 1 with a FAIL line per failed check."""
import csv
import json
import os
import shlex
import shutil
import subprocess
import sys

case, ompsweep, race, srcdir, work, gcc, clang = sys.argv[1:8]
failures = []
CHECK = r"sum=(\S+)"
N = "400000"  # race_sum: about 0.1 s a run on one thread


def check(cond, msg):
    if not cond:
        failures.append(msg)


class Skip(Exception):
    """The case cannot run here (exit 77)."""


def run(*args, timeout=170, command="exec", env=None):
    p = subprocess.run([ompsweep, command, *args], capture_output=True, text=True,
                       timeout=timeout, env=env)
    return p.returncode, p.stdout, p.stderr


def rows(out):
    with open(os.path.join(out, "summary.csv"), newline="") as f:
        return list(csv.DictReader(f))


def meta(out):
    with open(os.path.join(out, "meta.json")) as f:
        return json.load(f)


def out_dir(tag):
    return os.path.join(work, tag)


def race_sweep(tag):
    out = out_dir(tag)
    rc, so, se = run("--threads", "1,2", "--reps", "3", "--check", CHECK, "--out", out,
                     "--", race, N)
    return out, rc, se


def case_race():
    out, rc, se = race_sweep("race")
    check(rc == 1, f"race: exit {rc}, expected 1 (a row failed --check); stderr {se}")
    r = rows(out)
    one = [x for x in r if x["threads"] == "1"]
    two = [x for x in r if x["threads"] == "2"]
    check(len(one) == 1 and len(two) == 1, f"race: rows {r}")
    for x in one:
        check(x["verified"] == "1" and x["status"] == "ok" and float(x["rel_err"]) == 0,
              f"race: the 1-thread row must verify: {x}")
    for x in two:
        check(x["verified"] == "0" and x["status"] == "wrong_result",
              f"race: the 2-thread row must fail --check: {x}")
        check(x["rel_err"] != "" and float(x["rel_err"]) > 0, f"race: rel_err {x['rel_err']}")
        check(int(x["reps"]) == 3, f"race: a wrong result still measures every rep: {x}")
    check("wrong_result" in se and "the reference is 400000" in se,
          f"race: stderr names the failure and the reference: {se}")
    m = meta(out).get("check", {})
    check(m.get("regex") == CHECK and m.get("reference") == "1-thread", f"race: meta {m}")
    with open(os.path.join(out, "logs", "t2-default.log")) as f:
        log = f.read()
    check("DISAGREES" in log and "reference 400000" in log, "race: the log says which run")


def build(compiler, tag):
    exe = os.path.join(work, f"runtime_reduction-{tag}")
    p = subprocess.run([compiler, "-O2", "-fopenmp", os.path.join(srcdir, "runtime_reduction.c"),
                        "-o", exe], capture_output=True, text=True)
    if p.returncode != 0:
        raise Skip(f"{compiler} -O2 -fopenmp cannot build it (libomp-dev?): {p.stderr.strip()}")
    return exe


def case_miscompile():
    if not gcc or not clang or not shutil.which(gcc) or not shutil.which(clang):
        raise Skip("needs gcc and clang")
    os.makedirs(work, exist_ok=True)
    good, bad = build(gcc, "gcc"), build(clang, "clang")
    env = dict(os.environ, OMP_NUM_THREADS="1")
    outs = [subprocess.run([exe, "1000000"], capture_output=True, text=True, env=env).stdout
            for exe in (good, bad)]
    check(outs[0].strip() == "sum=249999750000", f"miscompile: gcc build printed {outs[0]!r}")
    if outs[0] == outs[1]:
        raise Skip("this clang computes the right sum: the miscompile does not reproduce")
    ref = f"{shlex.quote(good)} 1000000"
    out = out_dir("clang")
    rc, so, se = run("--threads", "1,2", "--schedules", "static,dynamic:1000", "--reps", "2",
                     "--check", CHECK, "--check-ref-cmd", ref, "--out", out, "--", bad, "1000000")
    check(rc == 1, f"miscompile: clang build: exit {rc}, expected 1; stderr {se}")
    r = rows(out)
    check(len(r) == 4, f"miscompile: clang rows {r}")
    for x in r:
        check(x["verified"] == "0" and x["status"] == "wrong_result" and
              float(x["rel_err"]) > 0.5,
              f"miscompile: every clang row fails (1/4 of the sum, rel_err 0.75): {x}")
    m = meta(out).get("check", {})
    check(m.get("reference") == "command" and m.get("reference_values") == [249999750000] and
          m.get("reference_command") == ref, f"miscompile: meta {m}")
    out = out_dir("gcc")
    rc, so, se = run("--threads", "1,2", "--schedules", "static,dynamic:1000", "--reps", "2",
                     "--check", CHECK, "--check-ref-cmd", ref, "--out", out, "--", good, "1000000")
    check(rc == 0, f"miscompile: gcc build: exit {rc}; stderr {se}")
    r = rows(out)
    check(len(r) == 4 and all(x["verified"] == "1" and x["status"] == "ok" and
                              float(x["rel_err"]) == 0 for x in r),
          f"miscompile: every gcc row passes: {r}")


def usage(tag, args, needle):
    rc, so, se = run("--out", out_dir(tag), *args)
    lines = se.strip().splitlines()
    check(rc == 2, f"options {tag}: exit {rc}, expected 2; stderr {se}")
    check(len(lines) == 1 and needle in se, f"options {tag}: one line with {needle!r}: {se!r}")


def case_options():
    # --expect: agrees on 1 thread; disagrees; within --rtol.
    out = out_dir("expect")
    rc, so, se = run("--threads", "1", "--reps", "2", "--check", CHECK, "--expect", "400000",
                     "--out", out, "--", race, N)
    check(rc == 0 and rows(out)[0]["verified"] == "1", f"options expect: exit {rc} {se}")
    check(meta(out)["check"].get("reference") == "expect", f"options: meta {meta(out)}")
    out = out_dir("expect-wrong")
    rc, so, se = run("--threads", "1", "--reps", "2", "--check", CHECK, "--expect", "400001",
                     "--out", out, "--", race, N)
    r = rows(out)[0]
    check(rc == 1 and r["verified"] == "0" and r["status"] == "wrong_result",
          f"options expect-wrong: exit {rc} {r}")
    check(abs(float(r["rel_err"]) - 1 / 400001) < 1e-9, f"options expect-wrong: {r['rel_err']}")
    out = out_dir("rtol")
    rc, so, se = run("--threads", "1", "--reps", "2", "--check", CHECK, "--expect", "400001",
                     "--rtol", "1e-5", "--out", out, "--", race, N)
    check(rc == 0 and rows(out)[0]["verified"] == "1", f"options rtol: exit {rc} {se}")
    # The pattern does not match: no_check, the configuration stops.
    out = out_dir("no-check")
    rc, so, se = run("--threads", "1,2", "--reps", "2", "--check", r"total=(\d+)", "--expect",
                     "1", "--out", out, "--", race, N)
    r = rows(out)
    check(rc == 1 and all(x["status"] == "no_check" and x["verified"] == "0" for x in r),
          f"options no-check: exit {rc} {r}")
    check("--check did not match the output" in se, f"options no-check: stderr {se}")
    # Usage errors: one line, exit 2, before anything runs.
    usage("no-one", ["--threads", "2", "--check", CHECK, "--", race, N], "has no 1")
    usage("expect-alone", ["--expect", "1", "--", race, N], "--expect needs --check")
    usage("rtol-alone", ["--rtol", "0.1", "--", race, N], "--rtol needs --check")
    usage("rtol-bad", ["--check", CHECK, "--rtol", "-1", "--", race, N], "--rtol '-1'")
    usage("two-refs", ["--check", CHECK, "--expect", "1", "--check-ref-cmd", "true", "--",
                       race, N], "give one")
    usage("expect-count", ["--check", r"(\d+) (\d+)", "--expect", "1", "--", race, N],
          "2 group(s)")
    usage("expect-nan", ["--check", CHECK, "--expect", "nan", "--", race, N], "not a finite")
    usage("no-group", ["--check", "sum=", "--expect", "1", "--", race, N], "groups")
    usage("bad-regex", ["--check", "sum=(", "--expect", "1", "--", race, N], "--check 'sum=('")
    usage("ref-fails", ["--check", CHECK, "--check-ref-cmd", "exit 3", "--", race, N],
          "exit status 3")
    usage("ref-no-match", ["--check", CHECK, "--check-ref-cmd", "echo nothing", "--", race, N],
          "did not match")
    for tag in ("no-one", "ref-fails", "ref-no-match"):
        check(not os.path.exists(os.path.join(out_dir(tag), "summary.csv")),
              f"options {tag}: nothing ran")


def case_tune():
    out, rc, se = race_sweep("tune")
    check(rc == 1, f"tune: exec exit {rc}")
    r = rows(out)
    check(any(x["threads"] == "2" and x["verified"] == "0" for x in r), f"tune: rows {r}")
    p = subprocess.run([ompsweep, "tune", out, "--format", "json"], capture_output=True,
                       text=True, timeout=60)
    check(p.returncode == 0, f"tune: exit {p.returncode}; {p.stderr}")
    doc = json.loads(p.stdout)
    k = doc["kernels"][0]
    check(k["recommended"]["threads"] == 1 and k["fastest"]["threads"] == 1,
          f"tune: recommends the failed 2-thread row: {k['recommended']} {k['fastest']}")
    check(k["left_out"] == 1, f"tune: left_out {k['left_out']}")
    check(any("wrong_result" in w for w in doc["warnings"]), f"tune: warnings {doc['warnings']}")


def case_energy():
    fixtures = os.path.join(srcdir, "..", "fixtures", "powercap")
    for root, want in ((os.path.join(fixtures, "two-packages"), "0"),
                       (os.path.join(fixtures, "absent"), "")):
        env = dict(os.environ, OSW_POWERCAP_ROOT=root)
        tag = os.path.basename(root)
        out = out_dir("run-" + tag)
        rc, so, se = run("--kernels", "countdown", "--sizes", "1000", "--threads", "1",
                         "--schedules", "static", "--reps", "2", "--out", out, command="run",
                         env=env)
        check(rc == 0, f"energy run {tag}: exit {rc}; {se}")
        out2 = out_dir("exec-" + tag)
        rc, so, se = run("--threads", "1", "--reps", "2", "--out", out2, "--", race, "1000",
                         env=env)
        check(rc == 0, f"energy exec {tag}: exit {rc}; {se}")
        for o in (out, out2):
            r = rows(o)
            check(len(r) == 1 and r[0]["energy_j"] == want,
                  f"energy {o}: energy_j {[x['energy_j'] for x in r]}, expected {want!r}")
            e = meta(o).get("energy", {})
            if want:
                check(e.get("available") is True and e.get("package_domains") == 2,
                      f"energy {o}: meta {e}")
            else:
                check(e.get("available") is False and "no powercap interface" in e.get("note", ""),
                      f"energy {o}: meta {e}")
                check(not any("energy" in w for w in meta(o).get("warnings", [])),
                      f"energy {o}: one note in meta.json, no warning")


try:
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    globals()["case_" + case]()
except Skip as e:
    print(f"SKIP {case}: {e}")
    sys.exit(77)
for f in failures:
    print("FAIL", f)
sys.exit(1 if failures else 0)
