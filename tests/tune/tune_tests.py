#!/usr/bin/env python3
"""Tests of `ompsweep tune` (label tune) on the fixtures of
tests/fixtures/tune, whose answers are known by construction (README.md
there).

    tune_tests.py CASE OMPSWEEP FIXTURES WORK

Exit 0 when the case passes, 1 with a FAIL line per failed check."""
import csv
import io
import json
import math
import os
import shutil
import subprocess
import sys

case, ompsweep, fixtures, work = sys.argv[1:5]
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)


def tune(*args):
    p = subprocess.run([ompsweep, "tune", *args], capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def tune_json(name, want_rc=0):
    rc, out, err = tune("--format", "json", os.path.join(fixtures, name))
    check(rc == want_rc, f"{name}: --format json exit {rc}, want {want_rc}; stderr: {err[:400]}")
    try:
        return json.loads(out), err
    except ValueError as e:
        check(False, f"{name}: --format json output is not JSON ({e}): {out[:300]}")
        return {"kernels": [], "warnings": [], "size_crossover": []}, err


def text(name, want_rc=0):
    rc, out, err = tune(os.path.join(fixtures, name))
    check(rc == want_rc, f"{name}: exit {rc}, want {want_rc}; stderr: {err[:400]}")
    return out, err


def near(got, want, tol, what):
    check(got is not None and abs(got - want) <= tol, f"{what}: got {got}, want {want} +- {tol}")


def only_kernel(doc, name):
    ks = doc["kernels"]
    check(len(ks) == 1, f"{name}: {len(ks)} kernel entries, want 1")
    return ks[0] if ks else {}


def case_tied():
    doc, _ = tune_json("tied")
    k = only_kernel(doc, "tied")
    check(k.get("fastest", {}).get("threads") == 16, f"tied: fastest {k.get('fastest')}")
    check(k.get("recommended", {}).get("threads") == 8, f"tied: recommended {k.get('recommended')}")
    tied = [t["config"]["threads"] for t in k.get("tied", [])]
    check(tied == [8], f"tied: tied set {tied}, want [8] (4 threads and dynamic,64 are slower)")
    p = [t["p_value"] for t in k.get("tied", [])]
    check(p and p[0] > 0.5, f"tied: p-value {p}")
    check(k.get("tie_method") == "mann-whitney", f"tied: method {k.get('tie_method')}")
    want = "export OMP_NUM_THREADS=8 OMP_SCHEDULE=static OMP_PROC_BIND=close OMP_PLACES=cores"
    check(k.get("export") == want, f"tied: export {k.get('export')!r}")
    check(doc["warnings"] == [], f"tied: warnings {doc['warnings']}")
    check(doc.get("complete") is True, "tied: complete")
    out, _ = text("tied")
    check(any(line.strip() == want for line in out.splitlines()),
          f"tied: text output lacks a line with just the export:\n{out}")
    check("recommended: threads=8 static" in out, "tied: text names the recommendation")


def case_amdahl():
    doc, _ = tune_json("amdahl")
    k = only_kernel(doc, "amdahl")
    near(k.get("amdahl_serial_fraction"), 0.1, 1e-3, "amdahl: serial fraction")
    check(k.get("amdahl_points") == 3, f"amdahl: points {k.get('amdahl_points')}")
    sc = k.get("scaling", [])
    check([s["threads"] for s in sc] == [1, 2, 4, 8], f"amdahl: thread counts {sc}")
    for s in sc[1:]:
        near(s["karp_flatt"], 0.1, 1e-4, f"amdahl: Karp-Flatt at {s['threads']}")
        near(s["speedup"], 1 / (0.1 + 0.9 / s["threads"]), 1e-4, f"amdahl: speedup {s}")
    check(sc and sc[0]["karp_flatt"] is None, "amdahl: no Karp-Flatt at 1 thread")
    out, _ = text("amdahl")
    check("Amdahl serial fraction f = 0.1000" in out, f"amdahl: text:\n{out}")


def case_memory():
    doc, _ = tune_json("memory")
    k = only_kernel(doc, "memory")
    sat = k.get("saturation") or {}
    check(sat.get("threads") == 4, f"memory: saturation {sat}, want 4 threads")
    near(sat.get("gbps"), 30, 0.01, "memory: bandwidth at saturation")
    out, _ = text("memory")
    check("saturates at 4 threads" in out, f"memory: text:\n{out}")
    # A cpu-bound fixture reports no saturation.
    doc, _ = tune_json("tied")
    check(only_kernel(doc, "tied").get("saturation") is None, "tied: no saturation (cpu)")


def case_sizes():
    doc, _ = tune_json("sizes")
    ks = doc["kernels"]
    check([k["n"] for k in ks] == [1000, 100000, 10000000, 100000000], f"sizes: {ks}")
    check([k["recommended"]["threads"] for k in ks] == [1, 1, 4, 4],
          f"sizes: recommended {[k['recommended'] for k in ks]}")
    cx = doc["size_crossover"]
    check(len(cx) == 1 and cx[0]["serial_below_n"] == 10000000 and cx[0]["sizes"] == 4,
          f"sizes: crossover {cx}")
    out, _ = text("sizes")
    check("1 thread beats the best parallel configuration below n=10000000" in out,
          f"sizes: text:\n{out}")


def case_warnings():
    doc, err = tune_json("warnings")
    w = " | ".join(doc["warnings"])
    for needle in ("left out", "crashed", "fewer than 5 reps", "physical cores", "not bound"):
        check(needle in w, f"warnings: no '{needle}' in {doc['warnings']}")
    check("not bound" in err, "warnings: --format json also puts warnings on stderr")
    k = only_kernel(doc, "warnings")
    check(k.get("recommended", {}).get("threads") == 2, f"warnings: {k.get('recommended')}")
    check(k.get("left_out") == 1, f"warnings: left_out {k.get('left_out')}")
    check(k.get("export") == "export OMP_NUM_THREADS=2 OMP_SCHEDULE=static",
          f"warnings: export {k.get('export')!r} (unbound: no OMP_PROC_BIND)")
    check(k.get("tie_method") == "ci-overlap", f"warnings: 3 vs 3 samples: {k.get('tie_method')}")
    out, _ = text("warnings")
    check(out.startswith("warning: "), f"warnings: text starts with the warnings:\n{out}")
    check("measured unbound" in out, "warnings: text says the run was unbound")


def case_partial():
    doc, _ = tune_json("partial")
    w = " | ".join(doc["warnings"])
    for needle in ("partial last line", "no samples.csv", "interrupted (3 of 6"):
        check(needle in w, f"partial: no '{needle}' in {doc['warnings']}")
    check(doc.get("complete") is False, "partial: complete is false")
    k = only_kernel(doc, "partial")
    check(k.get("fastest", {}).get("threads") == 4, f"partial: fastest {k.get('fastest')}")
    check(k.get("recommended", {}).get("threads") == 2, f"partial: {k.get('recommended')}")
    check(k.get("tie_method") == "ci-overlap", f"partial: method {k.get('tie_method')}")


def case_bind():
    doc, _ = tune_json("bind")
    k = only_kernel(doc, "bind")
    check(k.get("kernel") == "prog", f"bind: kernel {k.get('kernel')} (the @BIND suffix is cut)")
    r = k.get("recommended", {})
    check(r.get("threads") == 2 and r.get("bind") == "spread", f"bind: recommended {r}")
    want = "export OMP_NUM_THREADS=2 OMP_SCHEDULE=static OMP_PROC_BIND=spread OMP_PLACES=threads"
    check(k.get("export") == want, f"bind: export {k.get('export')!r}")
    check(not any("not bound" in x for x in doc["warnings"]), f"bind: {doc['warnings']}")


def case_noisy():
    doc, _ = tune_json("noisy")
    k = only_kernel(doc, "noisy")
    check(doc.get("max_loss_pct") == 10, f"noisy: max_loss_pct {doc.get('max_loss_pct')}")
    check(k.get("recommended", {}).get("threads") == 8, f"noisy: {k.get('recommended')}")
    check(k.get("tied") == [], f"noisy: 4 threads is 20% slower: not tied {k.get('tied')}")
    rc, out, err = tune("--format", "json", "--max-loss", "none", os.path.join(fixtures, "noisy"))
    check(rc == 0, f"noisy --max-loss none: exit {rc}: {err}")
    doc = json.loads(out)
    k = only_kernel(doc, "noisy")
    check(doc.get("max_loss_pct") is None, "noisy: --max-loss none is null in JSON")
    tied = k.get("tied", [])
    check(len(tied) == 1 and tied[0]["p_value"] > 0.05, f"noisy: test alone: tied {tied}")
    check(k.get("recommended", {}).get("threads") == 4, f"noisy: {k.get('recommended')}")
    rc, out, err = tune("--max-loss", "25%", os.path.join(fixtures, "noisy"))
    check(rc == 0 and "recommended: threads=4" in out, f"noisy --max-loss 25%: {rc} {err}")
    rc, out, err = tune("--max-loss", "-3", os.path.join(fixtures, "noisy"))
    check(rc == 2 and "--max-loss" in err, f"noisy --max-loss -3: {rc} {err}")


def case_bad_dirs():
    empty = os.path.join(work, "empty")
    os.makedirs(empty, exist_ok=True)
    for args, needle in (([empty], "summary.csv: missing"),
                         ([os.path.join(fixtures, "foreign")], "missing required column"),
                         ([os.path.join(fixtures, "header-only")], "no configurations yet"),
                         ([os.path.join(work, "absent")], "No such file"),
                         ([os.path.join(fixtures, "README.md")], "not a directory"),
                         ([], "needs a run directory"),
                         (["--bogus", empty], "unknown option"),
                         (["--alpha", "2", empty], "--alpha"),
                         ([empty, empty], "unexpected argument")):
        rc, out, err = tune(*args)
        check(rc == 2, f"bad_dirs {args}: exit {rc}, want 2")
        check(needle in err, f"bad_dirs {args}: stderr lacks '{needle}': {err!r}")
        check(len(err.strip().splitlines()) == 1, f"bad_dirs {args}: one stderr line: {err!r}")
        check(out == "", f"bad_dirs {args}: nothing on stdout: {out!r}")
    # Every row unverified: exit 2 with the reason.
    d = os.path.join(work, "unverified")
    shutil.copytree(os.path.join(fixtures, "tied"), d, dirs_exist_ok=True)
    with open(os.path.join(d, "summary.csv")) as f:
        lines = f.read().splitlines()
    col = lines[0].split(",").index("verified")
    fixed = [lines[0]] + [",".join(c if i != col else "0" for i, c in enumerate(l.split(",")))
                          for l in lines[1:]]
    with open(os.path.join(d, "summary.csv"), "w") as f:
        f.write("\n".join(fixed) + "\n")
    rc, out, err = tune(d)
    check(rc == 2 and "no verified configuration" in err, f"unverified: exit {rc}: {err!r}")
    rc, out, err = tune("--help")
    check(rc == 0 and "usage: ompsweep tune" in out, "tune --help")


def case_run():
    # --run sweeps first (a real, tiny sweep), then tunes its --out.
    out_dir = os.path.join(work, "swept")
    rc, out, err = tune("--format", "json", "--run", "--kernels", "countdown,triad", "--threads", "1,2",
                        "--schedules", "static", "--sizes", "1e5", "--reps", "5", "--quiet",
                        "--out", out_dir)
    check(rc == 0, f"run: exit {rc}; stderr: {err[:400]}")
    check(os.path.exists(os.path.join(out_dir, "summary.csv")), "run: the sweep wrote --out")
    try:
        doc = json.loads(out)
        names = sorted(k.get("kernel") for k in doc.get("kernels", []))
        check(names == ["countdown", "triad"], f"run: tuned kernels {names}")
    except ValueError as e:
        check(False, f"run: output is not JSON ({e}): {out[:300]}")
    # A sweep that fails on usage: its status, nothing tuned.
    rc, out, err = tune("--run", "--kernels", "nope", "--out", os.path.join(work, "bad"))
    check(rc == 2 and "unknown kernel 'nope'" in err and out == "", f"run bad: exit {rc}: {err!r}")
    # A DIR and --run together is a usage error.
    rc, out, err = tune(out_dir, "--run", "--kernels", "triad")
    check(rc == 2 and "--run" in err, f"run with DIR: exit {rc}: {err!r}")


def rewrite_json(path, **dump):
    """Rewrites the JSON file at path with json.dump(**dump), when it exists."""
    if not os.path.exists(path):
        return
    with open(path) as f:
        doc = json.load(f)
    if dump.pop("reverse_keys", False):
        def rev(v):
            if isinstance(v, dict):
                return {k: rev(v[k]) for k in reversed(list(v))}
            return [rev(x) for x in v] if isinstance(v, list) else v
        doc = rev(doc)
    with open(path, "w") as f:
        json.dump(doc, f, **dump)


def case_layout():
    # meta.json and exec.json in any valid JSON layout give the same answer:
    # indented by 4, all on one line, keys in another order.
    layouts = {"indent4": {"indent": 4}, "oneline": {"separators": (",", ":")},
               "reversed": {"indent": "\t", "reverse_keys": True}}
    for name in ("tied", "bind", "partial", "warnings", "memory"):
        rc, want_json, err = tune("--format", "json", os.path.join(fixtures, name))
        check(rc == 0, f"layout {name}: original exit {rc}: {err[:300]}")
        want = json.loads(want_json)
        want.pop("dir")
        want_text, _ = text(name)
        for layout, dump in layouts.items():
            d = os.path.join(work, f"{name}-{layout}")
            shutil.copytree(os.path.join(fixtures, name), d)
            for f in ("meta.json", "exec.json"):
                rewrite_json(os.path.join(d, f), **dict(dump))
            if layout == "oneline":
                with open(os.path.join(d, "meta.json")) as f:
                    check("\n" not in f.read().strip(), f"layout {name}: meta.json on one line")
            rc, out, err = tune("--format", "json", d)
            check(rc == 0, f"layout {name} {layout}: exit {rc}: {err[:300]}")
            got = json.loads(out) if rc == 0 else {}
            got.pop("dir", None)
            check(got == want, f"layout {name} {layout}: JSON differs from the original's:\n"
                               f"{json.dumps(got, sort_keys=True)}\n"
                               f"{json.dumps(want, sort_keys=True)}")
            check(not any("meta.json" in w for w in got.get("warnings", [])),
                  f"layout {name} {layout}: meta.json not read: {got.get('warnings')}")
            rc, out, err = tune(d)
            check(rc == 0 and out == want_text,
                  f"layout {name} {layout}: text differs:\n{out}\nwant:\n{want_text}")


CSV_COLUMNS = ["kernel", "n", "configurations", "threads", "schedule", "chunk", "bind", "median_s",
               "tied", "tie_method", "amdahl_serial_fraction", "export", "env"]


def csv_agrees(name, d):
    """tune --format csv on d: one row per (kernel, n) of --format json, the same answer."""
    rc, out, err = tune("--format", "json", d)
    check(rc == 0, f"csv {name}: --format json exit {rc}: {err[:300]}")
    doc = json.loads(out) if rc == 0 else {"kernels": [], "warnings": []}
    rc, out, err_csv = tune("--format", "csv", d)
    check(rc == 0, f"csv {name}: --format csv exit {rc}: {err_csv[:300]}")
    check(err_csv == err, f"csv {name}: stderr differs from --format json's:\n{err_csv}\n{err}")
    rows = list(csv.reader(io.StringIO(out, newline="")))
    check(rows and rows[0] == CSV_COLUMNS, f"csv {name}: header {rows[:1]}")
    rows = [dict(zip(CSV_COLUMNS, r)) for r in rows[1:]]
    check(all(len(r) == len(CSV_COLUMNS) for r in rows), f"csv {name}: ragged rows {rows}")
    ks = doc["kernels"]
    check(len(rows) == len(ks), f"csv {name}: {len(rows)} rows, {len(ks)} groups in JSON")
    for r, k in zip(rows, ks):
        where = f"csv {name} {k['kernel']} n={k['n']}"
        check(r["kernel"] == k["kernel"] and int(r["n"]) == k["n"]
              and int(r["configurations"]) == k["configurations"], f"{where}: {r}")
        rec = k.get("recommended")
        if rec is None:
            check(all(r[c] == "" for c in CSV_COLUMNS[3:]), f"{where}: nothing to recommend: {r}")
            continue
        check(int(r["threads"]) == rec["threads"], f"{where}: threads {r['threads']} vs {rec}")
        check(r["schedule"] == rec["schedule"], f"{where}: schedule {r['schedule']} vs {rec}")
        check(int(r["chunk"]) == rec["chunk"], f"{where}: chunk {r['chunk']} vs {rec}")
        check(r["bind"] == (rec["bind"] or ""), f"{where}: bind {r['bind']!r} vs {rec}")
        check(math.isclose(float(r["median_s"]), rec["median_s"], rel_tol=1e-9),
              f"{where}: median {r['median_s']} vs {rec['median_s']}")
        check(int(r["tied"]) == len(k["tied"]) + 1, f"{where}: tied {r['tied']} vs {k['tied']}")
        check(r["tie_method"] == k["tie_method"], f"{where}: tie_method {r['tie_method']}")
        f = k["amdahl_serial_fraction"]
        check((r["amdahl_serial_fraction"] == "") if f is None else
              math.isclose(float(r["amdahl_serial_fraction"]), f, rel_tol=1e-9),
              f"{where}: amdahl {r['amdahl_serial_fraction']!r} vs {f}")
        check(r["export"] == k["export"], f"{where}: export {r['export']!r} vs {k['export']!r}")
    return out, err_csv


def case_csv():
    for name in ("tied", "amdahl", "memory", "sizes", "warnings", "partial", "bind", "noisy"):
        out, err = csv_agrees(name, os.path.join(fixtures, name))
    # Warnings go to stderr, stdout holds only the CSV.
    out, err = csv_agrees("warnings", os.path.join(fixtures, "warnings"))
    check("warning" not in out and "not bound" in err, f"csv warnings: stdout {out!r}")
    check('"export OMP_NUM_THREADS=2 OMP_SCHEDULE=static"' in out, f"csv: export quoted: {out}")
    # An export line with commas and quotes (OMP_PLACES from exec.json) is one
    # RFC 4180 cell.
    d = os.path.join(work, "bind-places")
    shutil.copytree(os.path.join(fixtures, "bind"), d)
    with open(os.path.join(d, "exec.json")) as f:
        ex = json.load(f)
    ex["places"] = '{0,1},"{2,3}"'
    with open(os.path.join(d, "exec.json"), "w") as f:
        json.dump(ex, f)
    out, _ = csv_agrees("bind-places", d)
    check('OMP_PLACES=\'{0,1},""{2,3}""\'"' in out, f"csv bind-places: quoting: {out}")
    # A group with nothing verified: a row with its counts and empty cells.
    d = os.path.join(work, "sizes-unverified")
    shutil.copytree(os.path.join(fixtures, "sizes"), d)
    with open(os.path.join(d, "summary.csv")) as f:
        lines = f.read().splitlines()
    head = lines[0].split(",")
    cn, cv = head.index("n"), head.index("verified")
    fixed = [lines[0]] + [",".join("0" if i == cv and l.split(",")[cn] == "1000" else c
                                   for i, c in enumerate(l.split(","))) for l in lines[1:]]
    with open(os.path.join(d, "summary.csv"), "w") as f:
        f.write("\n".join(fixed) + "\n")
    out, _ = csv_agrees("sizes-unverified", d)
    check("\naxpy,1000,0,,,,,,,,,,\n" in out, f"csv sizes-unverified: empty row: {out}")


def copy_fixture(name, as_name):
    d = os.path.join(work, as_name)
    shutil.copytree(os.path.join(fixtures, name), d)
    return d


def append_line(path, lineno):
    """Appends a copy of line lineno (1: the header) of path; returns the new line's number."""
    with open(path) as f:
        lines = f.read().splitlines()
    with open(path, "a") as f:
        f.write(lines[lineno - 1] + "\n")
    return len(lines) + 1


def refused(d, needles, what):
    """tune d: exit 2, one stderr line holding every needle, nothing on stdout."""
    p = subprocess.run([ompsweep, "tune", d], capture_output=True, text=True, timeout=60,
                       cwd=work)
    check(p.returncode == 2, f"{what}: exit {p.returncode}, want 2; stderr: {p.stderr[:400]}")
    check(len(p.stderr.strip().splitlines()) == 1, f"{what}: one stderr line: {p.stderr!r}")
    for needle in needles:
        check(needle in p.stderr, f"{what}: stderr lacks {needle!r}: {p.stderr!r}")
    check(p.stdout == "", f"{what}: nothing on stdout: {p.stdout[:300]!r}")


def case_readback():
    # A schedule cell no ompsweep writes (`guided;touch X`) is refused on
    # reading, not pasted into an export line.
    refused(os.path.join(fixtures, "bad-schedule"),
            ["bad-schedule/summary.csv:5: column schedule: 'guided;touch X' is not a schedule"],
            "bad-schedule")
    check(not os.path.exists(os.path.join(work, "X")), "bad-schedule: nothing ran")
    # A configuration twice in summary.csv; a (key, rep) twice in samples.csv.
    d = copy_fixture("tied", "dup-summary")
    line = append_line(os.path.join(d, "summary.csv"), 2)
    refused(d, [f"dup-summary/summary.csv:{line}: configuration sum n=1000000 threads=1 static "
                f"listed twice (lines 2 and {line})"], "duplicated summary row")
    d = copy_fixture("tied", "dup-samples")
    line = append_line(os.path.join(d, "samples.csv"), 3)
    refused(d, [f"dup-samples/samples.csv:{line}: sample sum n=1000000 threads=1 static rep 2 "
                f"listed twice (lines 3 and {line})"], "duplicated sample row")
    # A sample that is not a positive number (nan) is refused, not skipped.
    d = copy_fixture("tied", "nan-sample")
    path = os.path.join(d, "samples.csv")
    with open(path) as f:
        lines = f.read().splitlines()
    lines[3] = lines[3].rsplit(",", 1)[0] + ",nan"
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    refused(d, ["nan-sample/samples.csv:4: seconds 'nan' is not a positive number"], "nan sample")
    # A UTF-8 byte order mark before the headers: read as without it.
    d = copy_fixture("tied", "bom")
    for name in ("summary.csv", "samples.csv"):
        with open(os.path.join(d, name), "rb") as f:
            data = f.read()
        with open(os.path.join(d, name), "wb") as f:
            f.write(b"\xef\xbb\xbf" + data)
    rc, want, _ = tune("--format", "json", os.path.join(fixtures, "tied"))
    rc, got, err = tune("--format", "json", d)
    check(rc == 0, f"bom: exit {rc}: {err[:300]}")
    if rc == 0:
        want, got = json.loads(want), json.loads(got)
        want.pop("dir")
        got.pop("dir")
        check(got == want, f"bom: answer differs from the fixture's:\n{got}\n{want}")
    # What keeps a file from being read is said as it is: a symbolic link loop.
    loop = os.path.join(work, "loop")
    os.symlink("loop", loop)
    refused(loop, ["Too many levels of symbolic links"], "run directory a link loop")
    for name in ("summary.csv", "samples.csv", "meta.json", "exec.json"):
        d = copy_fixture("bind", f"loop-{name}")
        if os.path.exists(os.path.join(d, name)):
            os.unlink(os.path.join(d, name))
        os.symlink(name, os.path.join(d, name))
        refused(d, [f"loop-{name}/{name}: Too many levels of symbolic links"], f"{name} a link loop")


def run_export(line, var):
    """Runs an export line in sh -c in an empty directory: (value of var, files made)."""
    d = os.path.join(work, "sh-" + var)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    p = subprocess.run(["sh", "-c", line + '\nprintf "%s" "$' + var + '"'], cwd=d,
                       capture_output=True, text=True, timeout=30)
    check(p.returncode == 0 and p.stderr == "", f"sh -c {line!r}: exit {p.returncode}: {p.stderr}")
    return p.stdout, os.listdir(d)


def case_export_quoting():
    # exec.json places full of shell metacharacters: quoted, so that pasting
    # the export line sets exactly that value and runs nothing.
    d = os.path.join(fixtures, "shell-places")
    with open(os.path.join(d, "exec.json")) as f:
        places = json.load(f)["places"]
    doc, _ = tune_json("shell-places")
    k = only_kernel(doc, "shell-places")
    line = k.get("export", "")
    check(line.startswith("export OMP_NUM_THREADS=2 OMP_SCHEDULE=static OMP_PROC_BIND=spread "
                          "OMP_PLACES='"), f"shell-places: export {line!r}")
    value, made = run_export(line, "OMP_PLACES")
    check(value == places, f"shell-places: OMP_PLACES {value!r}, want {places!r}")
    check(made == [], f"shell-places: pasting the export line made files: {made}")
    out, _ = text("shell-places")
    check(any(l.strip() == line for l in out.splitlines()), f"shell-places: text export:\n{out}")
    # meta.json's OMP_PLACES likewise, and a long explicit place list is
    # carried whole, not cut.
    d = copy_fixture("tied", "meta-places")
    with open(os.path.join(d, "meta.json")) as f:
        m = json.load(f)
    long_places = ",".join("{%d}" % i for i in range(256))
    for places in ("cores$(touch M)", long_places):
        m["omp_env"]["OMP_PLACES"] = places
        with open(os.path.join(d, "meta.json"), "w") as f:
            json.dump(m, f)
        rc, out, err = tune("--format", "json", d)
        check(rc == 0, f"meta-places: exit {rc}: {err[:300]}")
        line = json.loads(out)["kernels"][0]["export"] if rc == 0 else ""
        value, made = run_export(line, "OMP_PLACES")
        check(value == places, f"meta-places: OMP_PLACES {value!r}, want {places!r}")
        check(made == [], f"meta-places: pasting the export line made files: {made}")
    # A value the line cannot carry (a line break) is left out, with a warning.
    m["omp_env"]["OMP_PLACES"] = "cores\ntouch N"
    with open(os.path.join(d, "meta.json"), "w") as f:
        json.dump(m, f)
    rc, out, err = tune("--format", "json", d)
    check(rc == 0, f"meta-places newline: exit {rc}: {err[:300]}")
    doc = json.loads(out) if rc == 0 else {"kernels": [{}], "warnings": []}
    check("OMP_PLACES" not in doc["kernels"][0].get("export", "OMP_PLACES"),
          f"meta-places newline: export {doc['kernels'][0].get('export')!r}")
    check(any("OMP_PLACES is not printable" in w for w in doc["warnings"]),
          f"meta-places newline: warnings {doc['warnings']}")


def case_two_counts():
    # Threads 1 and 2 only: one parallel point fits any Amdahl f exactly, so
    # no fraction (null with the reason; empty CSV cell; no 1/f in the text).
    doc, _ = tune_json("two-counts")
    k = only_kernel(doc, "two-counts")
    reason = "Amdahl fit needs 3 or more thread counts; this run has 2"
    check(k.get("amdahl_serial_fraction", 0) is None,
          f"two-counts: fraction {k.get('amdahl_serial_fraction')}, want null")
    check(k.get("amdahl_reason") == reason, f"two-counts: reason {k.get('amdahl_reason')!r}")
    out, _ = text("two-counts")
    check(reason in out, f"two-counts: text lacks the reason:\n{out}")
    check("speedup limit" not in out and "Amdahl serial fraction f =" not in out,
          f"two-counts: text still prints a fit:\n{out}")
    csv_out, _ = csv_agrees("two-counts", os.path.join(fixtures, "two-counts"))
    rows = list(csv.DictReader(io.StringIO(csv_out, newline="")))
    check(rows and rows[0]["amdahl_serial_fraction"] == "", f"two-counts: csv {rows}")
    # 3 thread counts (amdahl) still fit, with no reason.
    doc, _ = tune_json("amdahl")
    check(only_kernel(doc, "amdahl").get("amdahl_reason", 0) is None,
          "amdahl: a fitted fraction has a null amdahl_reason")


def case_one_thread_noise():
    doc, err = tune_json("one-thread-noise")
    want = ("the 1-thread configurations of loop n=1000 differ by 1.30x although the schedule "
            "should not matter at 1 thread: the machine is noisy; re-run or pin")
    check(want in doc["warnings"], f"one-thread-noise: warnings {doc['warnings']}")
    check(want in err, "one-thread-noise: the warning is also on stderr")
    noise = [w for w in doc["warnings"] if "machine is noisy" in w]
    check(len(noise) == 1, f"one-thread-noise: only loop warns (dyn's slow 1-thread row is "
                           f"dynamic,1, whose dispatch cost is real): {noise}")
    out, _ = text("one-thread-noise")
    check(f"warning: {want}" in out, f"one-thread-noise: text:\n{out}")
    # 1-thread rows that agree (tied: one; bind: close and spread alike) warn nothing.
    for name in ("tied", "bind"):
        doc, _ = tune_json(name)
        check(not any("machine is noisy" in w for w in doc["warnings"]),
              f"{name}: no noise warning: {doc['warnings']}")


def case_idle_threads():
    doc, err = tune_json("idle-threads")
    w = [x for x in doc["warnings"] if "threads did not all compute" in x]
    check(len(w) == 1, f"idle-threads: warnings {doc['warnings']}")
    check(w and "check binding / other load" in w[0] and "busy n=1000000 threads=4" in w[0]
          and "1 cpu-bound configuration(s)" in w[0],
          f"idle-threads: the warning names busy at 4 threads only (not 2 threads at 1.9, "
          f"not the memory-bound stream): {w}")
    check("threads did not all compute" in err, "idle-threads: the warning is also on stderr")


def case_static_tied():
    doc, _ = tune_json("static-tied")
    k = only_kernel(doc, "static-tied")
    check(k.get("fastest", {}).get("schedule") == "dynamic", f"static-tied: {k.get('fastest')}")
    r = k.get("recommended", {})
    check(r.get("threads") == 4 and r.get("schedule") == "static" and r.get("chunk") == 0,
          f"static-tied: recommended {r}, want static at 4 threads")
    note = "the schedule does not matter here: static is tied with the fastest"
    check(k.get("schedule_note") == note, f"static-tied: note {k.get('schedule_note')!r}")
    want = "export OMP_NUM_THREADS=4 OMP_SCHEDULE=static OMP_PROC_BIND=close OMP_PLACES=cores"
    check(k.get("export") == want, f"static-tied: export {k.get('export')!r}")
    out, _ = text("static-tied")
    check("recommended: threads=4 static " in out and note in out, f"static-tied: text:\n{out}")
    csv_agrees("static-tied", os.path.join(fixtures, "static-tied"))


def case_static_slower():
    doc, _ = tune_json("static-slower")
    k = only_kernel(doc, "static-slower")
    r = k.get("recommended", {})
    check(r.get("threads") == 4 and r.get("schedule") == "dynamic" and r.get("chunk") == 1,
          f"static-slower: recommended {r}, want dynamic,1 at 4 threads")
    note = ("the schedule matters here: static (default chunk) is significantly slower than "
            "the fastest")
    check(k.get("schedule_note") == note, f"static-slower: note {k.get('schedule_note')!r}")
    want = "export OMP_NUM_THREADS=4 OMP_SCHEDULE=dynamic,1 OMP_PROC_BIND=close OMP_PLACES=cores"
    check(k.get("export") == want, f"static-slower: export {k.get('export')!r}")
    out, _ = text("static-slower")
    check(note in out and "does not matter" not in out, f"static-slower: text:\n{out}")
    # Only static measured at the recommended count: no note (tied fixture).
    doc, _ = tune_json("tied")
    check(only_kernel(doc, "tied").get("schedule_note", 0) is None, "tied: schedule_note null")


def case_objective():
    """--objective: the wait-policy rows of one thread count are tied in wall
    time; wall (the default) breaks the tie by CPU time (passive wins), cpu
    ranks by CPU seconds, energy by energy_j, and an objective nobody
    measured is refused (exit 2)."""
    d = os.path.join(work, "objective")
    os.makedirs(d, exist_ok=True)
    head = "kernel,n,threads,schedule,chunk,env,reps,median_s,ci_lo_s,ci_hi_s,verified,cpu_per_wall,energy_j"
    rows = [  # threads, env, median, cpu_per_wall, energy_j
        (1, "OMP_WAIT_POLICY=active", 0.0100, 1.00, 1.0),
        (1, "OMP_WAIT_POLICY=passive", 0.0100, 0.99, 0.5),
        (2, "OMP_WAIT_POLICY=active", 0.0060, 2.00, 0.9),
        (2, "OMP_WAIT_POLICY=passive", 0.0061, 1.20, 0.7),
    ]
    samples = []
    with open(os.path.join(d, "summary.csv"), "w") as f:
        f.write(head + "\n")
        for t, env, med, cpw, ej in rows:
            f.write(f"k,1000,{t},static,0,{env},10,{med},{med * 0.98},{med * 1.02},1,{cpw},{ej}\n")
            for r in range(10):  # the same spread around each median: tied in wall at 2 threads
                samples.append(f"k,1000,{t},static,0,{env},{r + 1},{med * (0.97 + 0.006 * r):.9f}")
    with open(os.path.join(d, "samples.csv"), "w") as f:
        f.write("kernel,n,threads,schedule,chunk,env,rep,seconds\n" + "\n".join(samples) + "\n")
    def rec(*args):
        rc, out, err = tune("--format", "json", *args, d)
        check(rc == 0, f"objective {args}: exit {rc}: {err}")
        try:
            return json.loads(out)["kernels"][0]
        except (ValueError, KeyError, IndexError):
            return {}
    k = rec()
    r = k.get("recommended", {})
    check(r.get("threads") == 2 and r.get("env") == "OMP_WAIT_POLICY=passive",
          f"objective wall: tie broken by CPU time: {r}")
    check("OMP_WAIT_POLICY=passive" in (k.get("export") or ""), f"objective: export {k.get('export')}")
    k = rec("--objective", "cpu")
    check(k.get("fastest", {}).get("env") == "OMP_WAIT_POLICY=passive" and
          k.get("fastest", {}).get("threads") == 2, f"objective cpu: fastest {k.get('fastest')}")
    k = rec("--objective", "energy")
    check(k.get("fastest", {}).get("threads") == 1 and
          k.get("fastest", {}).get("env") == "OMP_WAIT_POLICY=passive",
          f"objective energy: fastest {k.get('fastest')}")
    rc, out, err = tune("--objective", "energy", os.path.join(fixtures, "static-tied"))
    check(rc == 2 and "has no energy_j" in err and err.count("\n") == 1,
          f"objective energy without energy: exit {rc}: {err!r}")
    rc, out, err = tune("--objective", "joules", d)
    check(rc == 2 and "must be wall, cpu or energy" in err, f"objective joules: {rc} {err!r}")


CASES = {"objective": case_objective, "run": case_run, "tied": case_tied, "amdahl": case_amdahl, "memory": case_memory, "sizes": case_sizes,
         "warnings": case_warnings, "partial": case_partial, "bind": case_bind, "noisy": case_noisy,
         "bad_dirs": case_bad_dirs, "layout": case_layout, "csv": case_csv,
         "readback": case_readback, "export_quoting": case_export_quoting,
         "two_counts": case_two_counts, "one_thread_noise": case_one_thread_noise,
         "idle_threads": case_idle_threads, "static_tied": case_static_tied,
         "static_slower": case_static_slower}

if __name__ == "__main__":
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    CASES[case]()
    for m in failures:
        print(f"FAIL [{case}] {m}", file=sys.stderr)
    sys.exit(1 if failures else 0)
