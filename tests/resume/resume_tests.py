#!/usr/bin/env python3
"""Stopping and resuming `ompsweep run` (label resume).

usage: resume_tests.py OMPSWEEP CASE

Cases: sigint, sigterm, sighup (interrupt after some rows, then --resume),
reindented (meta.json rewritten in another JSON layout still resumes),
kill9 (kill -9 plus a hand-made partial line and an orphan sample row,
then --resume repairs), shuffled_interrupt, mismatch (another
config_key is refused), complete (resuming a finished run measures
nothing), no_meta, progress_tty, progress_off, bad_samples (a nan sample or a
sample twice is refused).

Each case runs in a fresh temporary directory; exit 0 pass, 1 fail,
77 skip. Every wait is bounded; nothing depends on how fast a row is
beyond "a row takes tens of milliseconds".
"""
import csv
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

SKIP = 77
OMPSWEEP = os.path.abspath(sys.argv[1])
CASE = sys.argv[2]

# 2 sizes x 3 schedules x 4 thread counts of the wait kernel: 40 items of
# 50 us at n=2e6; --min-time 0.01 makes each row take ~50 ms whatever the
# thread count, so a sweep lasts over a second and a signal lands mid-way.
PLAN = ["--kernels", "wait", "--sizes", "2e6,3e6", "--threads", "1,2,3,4",
        "--schedules", "static,dynamic:1,guided"]
SLOW = ["--reps", "3", "--min-time", "0.01", "--warmup", "0"]
KEY = ("kernel", "n", "threads", "schedule", "chunk")

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def env(**extra):
    e = dict(os.environ)
    e.pop("CI", None)
    e.update(extra)
    return e


def run(args, **kw):
    return subprocess.run([OMPSWEEP, "run"] + args, capture_output=True, text=True,
                          timeout=60, env=kw.pop("env", env()), **kw)


def read_csv(path):
    with open(path, newline="") as f:
        text = f.read()
    rows = list(csv.reader(text.splitlines()))
    return text, rows[0], [dict(zip(rows[0], r)) for r in rows[1:]], rows[1:]


def whole_rows(path):
    """Every line ends in a newline and has the header's number of cells."""
    text, header, _, raw = read_csv(path)
    ok = check(text.endswith("\n"), f"{path}: ends in a partial line")
    for i, r in enumerate(raw):
        ok &= check(len(r) == len(header), f"{path}:{i + 2}: {len(r)} cells, header {len(header)}")
    return ok


def keys(rows):
    return [tuple(r[k] for k in KEY) for r in rows]


def clean_set(tmp):
    """The configurations a clean run of PLAN writes (fast settings)."""
    out = os.path.join(tmp, "clean")
    p = run(PLAN + ["--reps", "1", "--min-time", "0", "--warmup", "0", "--quiet",
                    "--force", "--out", out])
    check(p.returncode == 0, f"clean run exit {p.returncode}: {p.stderr}")
    return keys(read_csv(os.path.join(out, "summary.csv"))[2])


def meta(out):
    with open(os.path.join(out, "meta.json")) as f:
        return json.load(f)


def data_rows(path):
    try:
        with open(path) as f:
            return sum(1 for line in f if line.endswith("\n")) - 1
    except FileNotFoundError:
        return 0


def start_and_stop(out, sig, extra=(), rows_first=3):
    """Starts PLAN, waits for rows_first rows, sends sig; returns the exit code."""
    proc = subprocess.Popen([OMPSWEEP, "run"] + PLAN + SLOW + list(extra) + ["--out", out],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=env())
    deadline = time.monotonic() + 30
    while data_rows(os.path.join(out, "summary.csv")) < rows_first:
        if proc.poll() is not None or time.monotonic() > deadline:
            break
        time.sleep(0.005)
    proc.send_signal(sig)
    try:
        _, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    return proc.returncode, err


def check_samples(out, summary_rows):
    """samples.csv: exactly reps rows, numbered 1..reps, per summary row; no others."""
    _, _, samples, _ = read_csv(os.path.join(out, "samples.csv"))
    per = {}
    for s in samples:
        per.setdefault(tuple(s[k] for k in KEY), []).append(s["rep"])
    for r in summary_rows:
        k = tuple(r[c] for c in KEY)
        got = per.pop(k, [])
        check(got == [str(i) for i in range(1, int(r["reps"]) + 1)],
              f"samples of {k}: reps {got}, summary says {r['reps']}")
    check(not per, f"samples without a summary row: {sorted(per)}")


def check_resumed(tmp, out, stopped_rows):
    """--resume completes out: the union is the clean set, each once."""
    p = run(PLAN + SLOW + ["--resume", "--quiet", "--out", out])
    check(p.returncode == 0, f"--resume exit {p.returncode}: {p.stderr}")
    check(whole_rows(os.path.join(out, "summary.csv")), "whole rows after resume")
    _, _, rows, _ = read_csv(os.path.join(out, "summary.csv"))
    got = keys(rows)
    want = clean_set(tmp)
    check(len(got) == len(set(got)), f"a configuration twice: {len(got)} rows")
    check(sorted(got) == sorted(want), f"configurations {sorted(got)} != clean {sorted(want)}")
    check(got[:len(stopped_rows)] == stopped_rows, "rows of the stopped run kept first, in order")
    check_samples(out, rows)
    m = meta(out)
    check(m.get("status") == "complete", f"meta status {m.get('status')}")
    check(m.get("configs_resumed") == len(stopped_rows),
          f"configs_resumed {m.get('configs_resumed')} != {len(stopped_rows)}")
    check(m.get("configs_done") == len(want), "configs_done")
    for r in rows:
        if r["threads"] == "1" and r["verified"] == "1":
            check(r["speedup"] == "1", f"1-thread speedup {r['speedup']}")
    check(not [f for f in os.listdir(out) if "tmp" in f], "temporary files left behind")
    return p


def case_signal(tmp, sig, want):
    out = os.path.join(tmp, "out")
    rc, err = start_and_stop(out, sig)
    check(rc == want, f"exit {rc}, expected {want}: {err}")
    check(f"interrupted by signal {int(sig)}" in err, f"stderr says interrupted: {err!r}")
    check(meta(out).get("status") == "interrupted", "meta status interrupted")
    summary = os.path.join(out, "summary.csv")
    check(whole_rows(summary) and whole_rows(os.path.join(out, "samples.csv")), "whole rows")
    _, _, rows, _ = read_csv(summary)
    check(3 <= len(rows) < 24, f"{len(rows)} rows after the signal")
    check_samples(out, rows)
    check_resumed(tmp, out, keys(rows))


def case_kill9(tmp):
    out = os.path.join(tmp, "out")
    rc, _ = start_and_stop(out, signal.SIGKILL)
    check(rc == -signal.SIGKILL, f"exit {rc} after kill -9")
    summary, samples = os.path.join(out, "summary.csv"), os.path.join(out, "samples.csv")
    # What a kill between or inside writes leaves: an orphan sample row of
    # a configuration with no summary row, and half-written last lines.
    _, _, rows, _ = read_csv(summary)
    before = keys(rows)
    with open(samples, "a") as f:
        f.write("wait,3000000,4,guided,0,,1,0.001,1\nwait,3000000,4,gui")
    with open(summary, "a") as f:
        f.write("wait,3000000,4,guided,0,3,0.0012")
    p = check_resumed(tmp, out, before)
    check("summary.csv ended in a partial line" in p.stderr, f"says summary repaired: {p.stderr!r}")
    check("samples.csv ended in a partial line" in p.stderr, f"says samples repaired: {p.stderr!r}")
    check("dropped 1 sample row" in p.stderr, f"says the orphan was dropped: {p.stderr!r}")


def case_shuffled_interrupt(tmp):
    out = os.path.join(tmp, "out")
    rc, err = start_and_stop(out, signal.SIGINT, ["--order", "shuffled", "--seed", "11"], 8)
    check(rc == 130, f"exit {rc}: {err}")
    _, _, rows, _ = read_csv(os.path.join(out, "summary.csv"))
    base = {(r["kernel"], r["n"], r["schedule"], r["chunk"]): float(r["median_s"])
            for r in rows if r["threads"] == "1"}
    # The final pass ran on the interrupt: every row with its baseline has
    # its speedup, the others none.
    for r in rows:
        b = base.get((r["kernel"], r["n"], r["schedule"], r["chunk"]))
        if b is None:
            check(r["speedup"] == "", f"speedup without a baseline: {r}")
        elif r["verified"] == "1":
            check(r["speedup"] != "" and abs(float(r["speedup"]) - b / float(r["median_s"]))
                  <= 1e-5 * b / float(r["median_s"]), f"speedup of {r}")
    m = meta(out)
    check(m.get("order") == "shuffled" and m.get("seed") == 11, "meta order and seed")
    p = run(PLAN + SLOW + ["--resume", "--quiet", "--order", "shuffled", "--out", out])
    check(p.returncode == 0, f"resume exit {p.returncode}: {p.stderr}")
    _, _, rows, _ = read_csv(os.path.join(out, "summary.csv"))
    check(sorted(keys(rows)) == sorted(clean_set(tmp)), "resumed shuffled set")
    check(all(r["speedup"] != "" for r in rows if r["verified"] == "1"), "all speedups filled")


def case_mismatch(tmp):
    out = os.path.join(tmp, "out")
    fast = ["--kernels", "mean_f64", "--sizes", "1e4", "--threads", "1,2", "--schedules",
            "static", "--quiet", "--min-time", "0", "--out", out]
    p = run(fast + ["--reps", "2"])
    check(p.returncode == 0, f"first run exit {p.returncode}")
    files = {f: open(os.path.join(out, f), "rb").read()
             for f in ("summary.csv", "samples.csv", "meta.json")}
    p = run(fast + ["--reps", "3", "--resume"])
    check(p.returncode == 2, f"exit {p.returncode}, expected 2")
    lines = [line for line in p.stderr.splitlines() if "--resume" in line]
    check(len(lines) == 1 and "reps was '2', now '3'" in lines[0], f"one clear line: {p.stderr!r}")
    for f, data in files.items():
        check(open(os.path.join(out, f), "rb").read() == data, f"{f} untouched")
    p = run(fast + ["--reps", "2", "--resume", "--force"])
    check(p.returncode == 2 and "--force" in p.stderr, "--resume with --force refused")


def case_complete(tmp):
    out = os.path.join(tmp, "out")
    fast = ["--kernels", "mean_f64", "--sizes", "1e4", "--threads", "1,2", "--schedules",
            "static,guided", "--reps", "2", "--quiet", "--min-time", "0", "--out", out]
    check(run(fast).returncode == 0, "first run")
    before = open(os.path.join(out, "summary.csv"), "rb").read()
    samples = open(os.path.join(out, "samples.csv"), "rb").read()
    p = run(fast + ["--resume"])
    check(p.returncode == 0, f"resume exit {p.returncode}: {p.stderr}")
    check(open(os.path.join(out, "summary.csv"), "rb").read() == before, "summary unchanged")
    check(open(os.path.join(out, "samples.csv"), "rb").read() == samples, "samples unchanged")
    check(meta(out).get("configs_resumed") == 4, "configs_resumed 4")
    # An empty or absent --out is a fresh run.
    p = run(fast[:-1] + [os.path.join(tmp, "new"), "--resume"])
    check(p.returncode == 0 and data_rows(os.path.join(tmp, "new", "summary.csv")) == 4,
          "--resume of nothing is a fresh run")


def case_no_meta(tmp):
    out = os.path.join(tmp, "out")
    fast = ["--kernels", "mean_f64", "--sizes", "1e4", "--threads", "1", "--schedules",
            "static", "--reps", "2", "--quiet", "--min-time", "0", "--out", out]
    check(run(fast).returncode == 0, "first run")
    os.unlink(os.path.join(out, "meta.json"))
    p = run(fast + ["--resume"])
    check(p.returncode == 2 and "no meta.json" in p.stderr, f"exit {p.returncode}: {p.stderr!r}")


def run_on_pty(args, extra_env):
    """Runs ompsweep with stderr on a pseudo-terminal; returns (rc, stderr text)."""
    import pty
    master, slave = pty.openpty()
    proc = subprocess.Popen([OMPSWEEP, "run"] + args, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=slave, env=env(**extra_env))
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(timeout=60), b"".join(chunks).decode(errors="replace")


PROGRESS = "\r\x1b[K["


def progress_args(tmp, name, *extra):
    return ["--kernels", "mean_f64", "--sizes", "1e4", "--threads", "1,2", "--schedules",
            "static,guided", "--reps", "2", "--min-time", "0", "--out",
            os.path.join(tmp, name)] + list(extra)


def case_progress_tty(tmp):
    try:
        rc, err = run_on_pty(progress_args(tmp, "a"), {})
    except OSError as e:
        print(f"skip: no pseudo-terminal ({e})")
        sys.exit(SKIP)
    check(rc == 0, f"exit {rc}")
    check(PROGRESS + "0/4]" in err and PROGRESS + "3/4]" in err,
          f"progress lines [0/4]..[3/4] on the terminal: {err!r}")
    check("ETA" in err, "progress shows an ETA")
    for name, extra_env, extra in (("ci", {"CI": "1"}, []), ("quiet", {}, ["--quiet"])):
        rc, err = run_on_pty(progress_args(tmp, name, *extra), extra_env)
        check(rc == 0 and PROGRESS not in err and "ETA" not in err,
              f"no progress line with {name}: {err!r}")


def case_progress_ticks(tmp):
    """One configuration of about 2 s: the elapsed time keeps ticking, the
    chunk is shown, and the ETA is -- until a configuration has finished."""
    args = ["--kernels", "wait", "--sizes", "2e6", "--threads", "1", "--schedules",
            "dynamic:4", "--reps", "20", "--min-time", "0.1", "--warmup", "0",
            "--out", os.path.join(tmp, "ticks")]
    try:
        rc, err = run_on_pty(args, {})
    except OSError as e:
        print(f"skip: no pseudo-terminal ({e})")
        sys.exit(SKIP)
    check(rc == 0, f"exit {rc}")
    stamps = set(re.findall(r"(\d\d:\d\d) elapsed", err))
    check(len(stamps) >= 2, f"the elapsed time ticks during one configuration: {sorted(stamps)}")
    check("ETA --" in err, f"ETA -- before any configuration finished: {err[:300]!r}")
    check("dynamic,4" in err, f"the progress line shows the chunk: {err[:300]!r}")


def case_progress_off(tmp):
    p = run(progress_args(tmp, "pipe"))
    check(p.returncode == 0, f"exit {p.returncode}")
    check("\x1b[K" not in p.stderr and "ETA" not in p.stderr,
          f"no progress line when stderr is a pipe: {p.stderr!r}")


def case_reindented(tmp):
    """Any valid JSON layout of meta.json resumes: 4-space indent, one line."""
    for layout, dump in (("indent4", dict(indent=4)), ("oneline", dict(separators=(",", ":")))):
        out = os.path.join(tmp, layout)
        rc, err = start_and_stop(out, signal.SIGINT)
        check(rc == 130, f"{layout}: exit {rc}: {err}")
        _, _, rows, _ = read_csv(os.path.join(out, "summary.csv"))
        m = meta(out)
        with open(os.path.join(out, "meta.json"), "w") as f:
            json.dump(m, f, **dump)
        check_resumed(tmp, out, keys(rows))
        # What the earlier run observed survives the rewrite.
        m2 = meta(out)
        for k, v in m.get("cpus_used", {}).items():
            check(m2.get("cpus_used", {}).get(k) == v, f"{layout}: cpus_used[{k}] kept")


def case_second_signal(tmp):
    """A long configuration: the first SIGTERM waits for it, a second kills."""
    out = os.path.join(tmp, "long")
    # wait at 2^36 ns is about 19 hours of waiting items: nothing finishes
    # (--yes: past the time guard, which would refuse it).
    proc = subprocess.Popen([OMPSWEEP, "run", "--kernels", "wait", "--sizes", "2^36",
                             "--threads", "1", "--schedules", "static", "--reps", "1",
                             "--warmup", "0", "--yes", "--out", out],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=env())
    deadline = time.monotonic() + 30
    while not os.path.exists(os.path.join(out, "meta.json")) and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    check(proc.poll() is None, "the first SIGTERM lets the configuration go on")
    proc.send_signal(signal.SIGTERM)
    try:
        proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        check(False, "a second SIGTERM did not stop the run within 10 s")
        return
    check(proc.returncode == -signal.SIGTERM, f"killed by the second SIGTERM: {proc.returncode}")
    check(whole_rows(os.path.join(out, "summary.csv")), "summary.csv holds whole rows only")


def case_bad_samples(tmp):
    """samples.csv is read through the shared reader: a nan sample or a
    (key, rep) twice is refused (exit 2, one line naming FILE:LINE), the
    files left as they are."""
    out = os.path.join(tmp, "out")
    fast = ["--kernels", "mean_f64", "--sizes", "1e4", "--threads", "1,2", "--schedules",
            "static", "--reps", "2", "--quiet", "--min-time", "0", "--out", out]
    check(run(fast).returncode == 0, "first run")
    path = os.path.join(out, "samples.csv")
    with open(path) as f:
        good = f.read()
    lines = good.splitlines()
    for what, text, needle in (
            ("nan", "\n".join(lines[:2] + [",".join(lines[2].split(",")[:-2] + ["nan", "1"])] +
                              lines[3:]) + "\n",
             "samples.csv:3: seconds 'nan' is not a positive number"),
            ("twice", good + lines[1] + "\n",
             f"samples.csv:{len(lines) + 1}: sample mean_f64 n=10000 threads=1 static rep 1 "
             f"listed twice (lines 2 and {len(lines) + 1})")):
        with open(path, "w") as f:
            f.write(text)
        before = {f: open(os.path.join(out, f), "rb").read() for f in ("summary.csv", "samples.csv")}
        p = run(fast + ["--resume"])
        check(p.returncode == 2, f"{what}: exit {p.returncode}, want 2: {p.stderr!r}")
        err = [line for line in p.stderr.splitlines() if "--resume" in line]
        check(len(err) == 1 and needle in err[0], f"{what}: one line naming {needle!r}: {p.stderr!r}")
        for f, data in before.items():
            check(open(os.path.join(out, f), "rb").read() == data, f"{what}: {f} untouched")


CASES = {
    "second_signal": case_second_signal,
    "sigint": lambda t: case_signal(t, signal.SIGINT, 130),
    "sigterm": lambda t: case_signal(t, signal.SIGTERM, 143),
    "sighup": lambda t: case_signal(t, signal.SIGHUP, 129),
    "reindented": case_reindented,
    "kill9": case_kill9,
    "shuffled_interrupt": case_shuffled_interrupt,
    "mismatch": case_mismatch,
    "complete": case_complete,
    "no_meta": case_no_meta,
    "progress_tty": case_progress_tty,
    "progress_ticks": case_progress_ticks,
    "progress_off": case_progress_off,
    "bad_samples": case_bad_samples,
}

with tempfile.TemporaryDirectory(prefix="osw-resume-") as tmp:
    CASES[CASE](tmp)
for f in failures:
    print("FAIL:", f)
print("ok" if not failures else f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
