#!/usr/bin/python3
"""compare.aa_burst: scripts/aa-burst.sh, the A/A burst harness, with 2
trials of sequential, shuffled and interleaved order on small sizes. Checks the harness,
not the rate: every trial line against the runs it kept (compare's JSON
verdicts, summary.csv's drift_rho, the burst's own times), the summary
against the trial lines, that --order reaches `ompsweep run`, and the usage
errors.

Usage: aa_burst_test.py SCRIPT OMPSWEEP WORKDIR"""
import csv
import json
import math
import os
import shutil
import subprocess
import sys

SCRIPT, OMPSWEEP, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print("FAIL:", what)


def harness(*args):
    return subprocess.run(["bash", SCRIPT, "--ompsweep", OMPSWEEP, *args],
                          capture_output=True, text=True, timeout=120)


TRIAL_HEAD = ("order,trial,configs,slower,faster,same,a_s,b_s,burst_start_s,burst_s,"
              "burst_overlap_s,drift_rows_a,drift_rows_b,max_drift_rho_b,runs")
SUMMARY_HEAD = ("order,trials,configs,slower,false_slower_rate,trials_with_slower,"
                "trial_slower_rate,faster,bursts_in_b")


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    out = os.path.join(WORK, "aa")
    # 2 kernels x 2 thread counts: 4 configurations per run.
    p = harness("--trials", "2", "--order", "sequential,shuffled,interleaved", "--seed", "7",
                "--kernels", "triad,countdown", "--sizes", "2^14", "--threads", "1,2",
                "--reps", "10", "--out", out, "--keep")
    check(p.returncode == 0, f"harness exit {p.returncode}: {p.stderr.strip()[-400:]}")
    if p.returncode != 0:
        return
    with open(os.path.join(out, "trials.csv")) as f:
        text = f.read()
    check(p.stdout == text, "stdout is trials.csv")
    lines = text.splitlines()
    check(lines[0] == TRIAL_HEAD, f"trials.csv header {lines[0]!r}")
    rows = list(csv.DictReader(lines))
    check([(r["order"], r["trial"]) for r in rows] ==
          [(o, t) for o in ("sequential", "shuffled", "interleaved") for t in ("1", "2")],
          f"trial lines {[(r['order'], r['trial']) for r in rows]}")
    for r in rows:
        d = os.path.join(out, f"{r['order']}-{r['trial']}")
        tag = f"{r['order']} trial {r['trial']}"
        # Both runs ran with the order asked (meta.json records it).
        for run in ("A", "B"):
            with open(os.path.join(d, run, "meta.json")) as f:
                meta = json.load(f)
            check(json.dumps(meta).count(f'"{r["order"]}"') >= 1,
                  f"{tag}: {run}/meta.json does not name order {r['order']}")
            # --seed 7: trial t's runs get seeds 700000 + 2t (A) and + 1 (B)
            if r["order"] != "sequential":
                want = 7 * 100000 + 2 * int(r["trial"]) + (run == "B")
                check(meta.get("seed") == want, f"{tag}: {run} seed {meta.get('seed')}, not {want}")
        # The counts are compare's verdicts, read here from its JSON output.
        j = subprocess.run([OMPSWEEP, "compare", os.path.join(d, "A"), os.path.join(d, "B"),
                            "--format", "json"], capture_output=True, text=True)
        check(j.returncode in (0, 4), f"{tag}: compare exit {j.returncode}")
        verdicts = [x["verdict"] for x in json.loads(j.stdout)["results"]]
        check(int(r["configs"]) == len(verdicts) == 4,
              f"{tag}: configs {r['configs']}, compare gave {len(verdicts)}, expected 4")
        for v in ("slower", "faster", "same"):
            check(int(r[v]) == verdicts.count(v),
                  f"{tag}: {v} {r[v]}, compare's JSON says {verdicts.count(v)}")
        # drift: rows of each run with drift_rho > 0.5 and >= 10 samples.
        for run, col in (("A", "drift_rows_a"), ("B", "drift_rows_b")):
            with open(os.path.join(d, run, "summary.csv")) as f:
                srows = list(csv.DictReader(f))
            want = sum(1 for s in srows if s["drift_rho"] and float(s["drift_rho"]) > 0.5
                       and int(s["reps"]) >= 10)
            check(r[col] == str(want), f"{tag}: {col} {r[col]!r}, summary.csv gives {want}")
            if run == "B":
                rhos = [float(s["drift_rho"]) for s in srows if s["drift_rho"]]
                check(rhos and abs(float(r["max_drift_rho_b"]) - max(rhos)) < 1e-9,
                      f"{tag}: max_drift_rho_b {r['max_drift_rho_b']} vs {rhos}")
        # The burst ran, for about one configuration's share of A's time,
        # starting 0.1 to 0.7 of A's time into B; the overlap is within both.
        with open(os.path.join(d, "burst")) as f:
            h0, h1 = (float(x) for x in f.read().split())
        a_s, b_s = float(r["a_s"]), float(r["b_s"])
        start, length, overlap = (float(r[c]) for c in ("burst_start_s", "burst_s",
                                                           "burst_overlap_s"))
        check(a_s > 0 and b_s > 0, f"{tag}: run times {a_s} {b_s}")
        check(abs(length - (h1 - h0)) < 0.002, f"{tag}: burst_s {length} vs its file {h1 - h0}")
        # the hogs' timeout: A's time over its 4 configurations (+ start-up)
        check(a_s / 4 - 0.01 <= length <= a_s / 4 + 0.5,
              f"{tag}: burst of {length} s for {a_s / 4:.3f} s a configuration")
        check(0.1 * a_s - 0.01 <= start <= 0.7 * a_s + 0.5,
              f"{tag}: burst started {start} s into B, A took {a_s}")
        check(0 <= overlap <= min(length, b_s) + 0.001,
              f"{tag}: overlap {overlap} beyond the burst {length} or B {b_s}")
        if 0 <= start and start + length <= b_s:
            check(abs(overlap - length) < 0.002, f"{tag}: a burst inside B overlaps {overlap}")

    with open(os.path.join(out, "summary.csv")) as f:
        slines = f.read().splitlines()
    check(slines[0] == SUMMARY_HEAD, f"summary.csv header {slines[0]!r}")
    for s in csv.DictReader(slines):
        mine = [r for r in rows if r["order"] == s["order"]]
        configs = sum(int(r["configs"]) for r in mine)
        slower = sum(int(r["slower"]) for r in mine)
        check(int(s["trials"]) == 2 and int(s["configs"]) == configs and
              int(s["slower"]) == slower and
              math.isclose(float(s["false_slower_rate"]), slower / configs, abs_tol=6e-5) and
              int(s["trials_with_slower"]) == sum(int(r["slower"]) > 0 for r in mine) and
              int(s["bursts_in_b"]) == sum(float(r["burst_overlap_s"]) > 0 for r in mine),
              f"summary line {s} against the trials")
    check(f"false \"slower\" verdicts per order ({out}/summary.csv)" in p.stderr,
          "the summary on stderr")

    # --hogs 0: the control, no burst.
    ctl = os.path.join(WORK, "control")
    p = harness("--trials", "1", "--hogs", "0", "--kernels", "countdown", "--sizes", "1000",
                "--threads", "1", "--reps", "3", "--out", ctl, "--keep")
    check(p.returncode == 0, f"--hogs 0: exit {p.returncode}: {p.stderr.strip()[-300:]}")
    if p.returncode == 0:
        r = list(csv.DictReader(p.stdout.splitlines()))
        check(len(r) == 1 and r[0]["burst_start_s"] == "" and r[0]["burst_s"] == "" and
              r[0]["burst_overlap_s"] == "0" and r[0]["configs"] == "1",
              f"--hogs 0: trial line {r}")
        check(not os.path.exists(os.path.join(ctl, "sequential-1", "burst")),
              "--hogs 0 ran a burst")
        with open(os.path.join(ctl, "summary.csv")) as f:
            s = list(csv.DictReader(f))
        check(len(s) == 1 and s[0]["bursts_in_b"] == "0", f"--hogs 0: summary {s}")

    # --runs 3: each side a set of 3 runs (A/1..3, B/1..3), one burst
    # during one B run, alternating with A's, compare's run-level test over
    # the sets, Holm's adjustment.
    sets = os.path.join(WORK, "sets")
    p = harness("--trials", "1", "--runs", "3", "--alternate", "--adjust", "holm", "--order",
                "interleaved",
                "--seed", "5",
                "--kernels", "countdown", "--sizes", "2^12", "--threads", "1,2", "--reps", "5",
                "--out", sets, "--keep")
    check(p.returncode == 0, f"--runs 3: exit {p.returncode}: {p.stderr.strip()[-300:]}")
    if p.returncode == 0:
        r = list(csv.DictReader(p.stdout.splitlines()))
        check(len(r) == 1 and r[0]["runs"] == "3" and r[0]["configs"] == "2",
              f"--runs 3: trial line {r}")
        d = os.path.join(sets, "interleaved-1")
        for side, odd in (("A", 0), ("B", 1)):
            for k in (1, 2, 3):
                with open(os.path.join(d, side, str(k), "meta.json")) as f:
                    meta = json.load(f)
                want = (5 * 100000 + 2) * 64 + 2 * k + odd
                check(meta.get("seed") == want,
                      f"--runs 3: {side}/{k} seed {meta.get('seed')}, not {want}")
        check(os.path.exists(os.path.join(d, "burst")), "--runs 3: no burst")
        # --alternate: A/1, B/1, A/2, B/2, A/3, B/3 (each run's meta.json is
        # written as it ends)
        ends = [os.stat(os.path.join(d, side, str(k), "meta.json")).st_mtime_ns
                for k in (1, 2, 3) for side in ("A", "B")]
        check(ends == sorted(ends), f"--alternate: runs did not alternate: {ends}")
        check(0 < float(r[0]["burst_s"]) and 0 <= float(r[0]["burst_overlap_s"]),
              f"--runs 3: burst times {r[0]}")
        j = subprocess.run([OMPSWEEP, "compare", os.path.join(d, "A"), os.path.join(d, "B"),
                            "--format", "json", "--adjust", "holm"], capture_output=True, text=True)
        doc = json.loads(j.stdout) if j.returncode in (0, 4) else {}
        check(doc.get("base_runs") == 3 and doc.get("new_runs") == 3 and doc.get("adjust") == "holm",
              f"--runs 3: compare of the sets: exit {j.returncode}, {j.stderr!r}")
        if r and doc:
            verdicts = [x["verdict"] for x in doc["results"]]
            check([int(r[0][v]) for v in ("slower", "faster", "same")] ==
                  [verdicts.count(v) for v in ("slower", "faster", "same")],
                  f"--runs 3: counts {r[0]} against compare's {verdicts}")

    # --order reaches `ompsweep run`: an order it does not know fails the
    # trial with one line naming the run (exit 1), as interleaved does in a
    # build without it.
    p = harness("--trials", "1", "--order", "bogus", "--kernels", "countdown", "--sizes",
                "1000", "--threads", "1", "--reps", "3", "--out", os.path.join(WORK, "bogus"))
    check(p.returncode == 1 and "ompsweep run --order bogus" in p.stderr and
          p.stderr.count("\n") == 1, f"--order bogus: exit {p.returncode}, {p.stderr!r}")

    # Usage errors: exit 2, one line.
    for args in (["--trials", "0"], ["--trials"], ["--order", ""], ["--hogs", "65"], ["--hogs", "-1"],
                 ["--burst-scale", "0"], ["--runs", "0"], ["--runs", "33"], ["--adjust", "bonferroni"], ["--seed", "x"], ["--seed", "08"], ["--frobnicate"],
                 ["--ompsweep", "/nonexistent/ompsweep"], ["--out", out]):
        p = harness(*args)
        check(p.returncode == 2 and p.stderr.count("\n") == 1 and p.stdout == "",
              f"{args}: exit {p.returncode}, stderr {p.stderr!r}")


if __name__ == "__main__":
    main()
    print("FAILED" if failures else "ok")
    sys.exit(1 if failures else 0)
