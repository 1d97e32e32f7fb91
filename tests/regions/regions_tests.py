#!/usr/bin/env python3
"""Tests of `ompsweep exec --regions` (label regions; tests/regions/CMakeLists.txt).

usage: regions_tests.py CASE OMPSWEEP TWO_REGIONS NEEDS_MISSING SOURCE_DIR WORK_DIR
Exit 0 passed, 1 failed, 77 skipped (no libomp, no OMPT tool)."""
import csv
import json
import os
import re
import shutil
import subprocess
import sys

CASE, OSW, TWO, NEEDS, SRC, WORK = sys.argv[1:7]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def run_exec(args, env_extra=None, out="out"):
    out_dir = os.path.join(WORK, out)
    env = dict(os.environ)
    env.pop("OMP_DISPLAY_AFFINITY", None)
    env.update(env_extra or {})
    p = subprocess.run([OSW, "exec", "--regions", "--quiet", "--out", out_dir, "--force"] + args,
                       env=env, capture_output=True, text=True, timeout=100)
    if "needs the OMPT tool" in p.stderr or "no libomp.so.5 was found" in p.stderr:
        print("skip:", p.stderr.strip(), file=sys.stderr)
        sys.exit(77)
    return p, out_dir


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def pragma_lines(path):
    """The lines of the `#pragma omp parallel` directives of a source file."""
    with open(path) as f:
        return [i + 1 for i, line in enumerate(f) if re.match(r"\s*#pragma omp parallel\b", line)]


def case_two_regions():
    # Long enough (about 1 s a run) that starting and ending the process,
    # which the tool cannot see (10 to 20 ms on a loaded 2-core machine),
    # stay well inside the 5%.
    rounds = 160
    p, out = run_exec(["--threads", "1,2", "--reps", "2", "--warmup", "1", "--", TWO, str(rounds)])
    check(p.returncode == 0, f"exec --regions exit {p.returncode}: {p.stderr}")
    if p.returncode != 0:
        return
    summary = {int(r["threads"]): r for r in read_csv(os.path.join(out, "summary.csv"))}
    rows = read_csv(os.path.join(out, "regions.csv"))
    lines = pragma_lines(os.path.join(SRC, "examples", "two_regions.c"))
    check(len(lines) == 2, f"two parallel directives in two_regions.c, found {lines}")
    want = {f"two_regions.c:{n}" for n in lines}
    for threads in (1, 2):
        mine = [r for r in rows if int(r["threads"]) == threads]
        check(len(mine) == 2, f"{threads} thread(s): 2 regions, got {len(mine)}")
        got = {os.path.basename(r["region"]) for r in mine}
        check(got == want, f"{threads} thread(s): regions {sorted(got)}, want {sorted(want)}")
        for r in mine:
            check(r["function"] == "main", f"function {r['function']!r}, want main")
            check(r["runtime"] == "llvm", f"runtime {r['runtime']!r}")
            check(float(r["calls"]) == rounds, f"calls {r['calls']}, want {rounds}")
            check(int(r["team_req"]) == threads and int(r["team_ran"]) == threads,
                  f"team {r['team_req']}/{r['team_ran']}, want {threads}")
            check(r["team_smaller"] == "0", "team_smaller set")
            check(int(r["runs"]) == 2, f"runs {r['runs']}, want the 2 timed ones")
            check(abs(float(r["per_call_s"]) * rounds - float(r["total_s"]))
                  <= 1e-6 * float(r["total_s"]), "per_call_s * calls != total_s")
            check(os.path.isabs(r["binary"]) and r["binary"].endswith("two_regions"),
                  f"binary {r['binary']}")
        in_regions = sum(float(r["total_s"]) for r in mine if r["nested"] == "0")
        serial = float(mine[0]["serial_s"])
        wall = float(summary[threads]["mean_s"])
        check(serial > 0, f"serial_s {serial}: the program has a serial loop")
        ratio = (in_regions + serial) / wall
        print(f"{threads} thread(s): regions {in_regions:.4f} s + serial {serial:.4f} s "
              f"= {ratio:.4f} of the mean wall {wall:.4f} s")
        if os.environ.get("OSW_SANITIZE") == "ON":
            # The sanitizers' start-up (shadow memory) and exit (leak check)
            # are outside the runtime's lifetime: a tenth of a second.
            print("sanitizer build: the 5% coverage check is not applied")
        else:
            check(abs(ratio - 1) <= 0.05, f"regions + serial = {ratio:.4f} of the wall time")
    with open(os.path.join(out, "exec.json")) as f:
        meta = json.load(f)
    check(meta.get("regions") is True and meta.get("env_axes", {}).get("runtime") == ["llvm"], f"exec.json {meta}")
    logs = os.listdir(os.path.join(out, "logs"))
    text = open(os.path.join(out, "logs", sorted(logs)[0])).read()
    check("OMP_TOOL_LIBRARIES=" in text and "LD_LIBRARY_PATH=" + os.path.join(out, "runtime") in text,
          "the log shows the tool and the swap folder")
    check(os.path.realpath(os.path.join(out, "runtime", "libgomp.so.1")).endswith("libomp.so.5"),
          "runtime/libgomp.so.1 -> libomp.so.5")


def case_thread_limit():
    p, out = run_exec(["--threads", "2", "--reps", "1", "--warmup", "0", "--", TWO, "2"],
                      {"OMP_THREAD_LIMIT": "1"})
    check(p.returncode == 0, f"exec exit {p.returncode}: {p.stderr}")
    if p.returncode != 0:
        return
    rows = read_csv(os.path.join(out, "regions.csv"))
    check(len(rows) == 2, f"2 regions, got {len(rows)}")
    for r in rows:
        check(r["team_req"] == "2" and r["team_ran"] == "1" and r["team_smaller"] == "1",
              f"team {r['team_req']}/{r['team_ran']} smaller={r['team_smaller']}")


def case_refuse():
    p, out = run_exec(["--threads", "1", "--reps", "1", "--", NEEDS])
    check(p.returncode == 2, f"exit {p.returncode}, want 2")
    check("GOMP_warning" in p.stderr and "omp_target_alloc" in p.stderr,
          f"stderr names the missing symbols: {p.stderr}")
    check(len(p.stderr.strip().splitlines()) <= 2, f"one clear line: {p.stderr}")
    check(not os.path.exists(os.path.join(out, "regions.csv")), "no regions.csv")


def case_runtime_axis():
    """--runtime gomp,llvm: every row says the runtime that served it; a
    program needing symbols libomp lacks gets not_runnable on llvm only;
    `run` verifies every kernel row on both runtimes."""
    def sweep(cmd, args, out):
        out = os.path.join(WORK, out)
        p = subprocess.run([OSW, cmd, "--runtime", "gomp,llvm", "--quiet", "--out", out] + args,
                           capture_output=True, text=True, timeout=100)
        return p, out
    p, out = sweep("exec", ["--threads", "1,2", "--reps", "1", "--warmup", "0", "--", TWO, "2"],
                   "two")
    check(p.returncode == 0, f"exec two_regions: exit {p.returncode}: {p.stderr}")
    rows = read_csv(os.path.join(out, "summary.csv"))
    check(len(rows) == 4 and all(r["runtime"] == r["env"].split("=")[1] for r in rows),
          f"exec: runtime column against env: {[(r['env'], r['runtime']) for r in rows]}")
    check(os.path.islink(os.path.join(out, "runtime", "libgomp.so.1")), "the swap folder")
    p, out = sweep("exec", ["--threads", "1", "--reps", "1", "--warmup", "0", "--", NEEDS],
                   "needs")
    rows = {r["env"]: r for r in read_csv(os.path.join(out, "summary.csv"))}
    check(p.returncode == 1, f"exec needs_missing: exit {p.returncode}, want 1: {p.stderr}")
    check(rows.get("runtime=llvm", {}).get("status") == "not_runnable" and
          rows.get("runtime=gomp", {}).get("status") == "ok", f"needs_missing rows: {rows}")
    check("omp_target_alloc" in p.stderr, f"the missing symbols named: {p.stderr}")
    p, out = sweep("run", ["--kernels", "uniform,triad,mean_f64", "--sizes", "2e4", "--threads",
                           "1,2", "--schedules", "static,dynamic:4", "--reps", "2", "--warmup",
                           "0", "--min-time", "0"], "run")
    check(p.returncode == 0, f"run: exit {p.returncode}: {p.stderr}")
    rows = read_csv(os.path.join(out, "summary.csv"))
    check(len(rows) == 24 and all(r["verified"] == "1" for r in rows), "run: every row verified")
    check(all(r["runtime"] == r["env"].split("=")[1] for r in rows),
          f"run: runtime column against env: {[(r['env'], r['runtime']) for r in rows]}")
    # tune's export line sets variables only: llvm is the run's swap folder on
    # LD_LIBRARY_PATH, never a "runtime=" word
    t = subprocess.run([OSW, "tune", "--format", "json", out], capture_output=True, text=True)
    lines = [k.get("export") or "" for k in json.loads(t.stdout).get("kernels", [])] \
        if t.returncode == 0 else []
    check(lines and not any("runtime=" in e for e in lines) and
          all(("LD_LIBRARY_PATH=" in e) == ("runtime=llvm" in k.get("recommended", {}).get("env", ""))
              for e, k in zip(lines, json.loads(t.stdout)["kernels"])),
          f"tune export lines: {lines}")


def case_figure():
    """plotdata --kind regions: the stacked-time and speedup tables of the
    two-region example agree with regions.csv (the best row per thread
    count), and plots/regions.gp draws them."""
    p, out = run_exec(["--threads", "1,2", "--reps", "2", "--warmup", "0", "--", TWO, "20"])
    check(p.returncode == 0, f"exec: exit {p.returncode}: {p.stderr}")
    tables = os.path.join(WORK, "tables")
    q = subprocess.run([OSW, "plotdata", out, "--kind", "regions", "--out", tables],
                       capture_output=True, text=True)
    check(q.returncode == 0, f"plotdata: exit {q.returncode}: {q.stderr}")
    rows = read_csv(os.path.join(out, "regions.csv"))
    dat = [f for f in os.listdir(tables) if f.startswith("regions-") and f.endswith(".dat")]
    check(len(dat) == 1, f"one table: {dat}")
    if not dat:
        return
    blocks = open(os.path.join(tables, dat[0])).read().split("\n\n\n")
    stack = [l.split() for l in blocks[0].splitlines() if l and not l.startswith("#")]
    check([r[0] for r in stack] == ["1", "2"], f"thread counts: {stack}")
    index = open(os.path.join(tables, "regions.gp")).read()
    names = re.findall(r'pd_region\[\d+\] = "([^"]*)"', index)
    check(len(names) == 2 and all(re.match(r"two_regions\.c:\d+ main$", n) for n in names),
          f"region names: {names}")
    for t_row in stack:
        t = t_row[0]
        best = {}
        for r in rows:
            if r["threads"] == t:
                key = r["region"].rsplit("/", 1)[-1] + " " + r["function"]
                v = float(r["total_s"])
                best[key] = min(best.get(key, v), v)
        for j, name in enumerate(names):
            check(abs(float(t_row[2 + j]) - best[name]) <= 1e-6 * best[name],
                  f"threads {t} {name}: table {t_row[2 + j]}, regions.csv {best[name]}")
    for j, block in enumerate(blocks[1:3]):
        sp = [l.split() for l in block.splitlines() if l and not l.startswith("#")]
        want = float(stack[0][2 + j]) / float(stack[1][2 + j])
        check(abs(float(sp[1][1]) - want) <= 1e-6 * want, f"speedup of region {j + 1}: {sp}")
    gp = shutil.which("gnuplot")
    if gp:
        fig = os.path.join(WORK, "fig")
        g = subprocess.run([gp, "-c", os.path.join(SRC, "plots", "regions.gp"), tables, fig],
                           capture_output=True, text=True)
        check(g.returncode == 0 and os.path.getsize(fig + "-two_regions-0.png") > 1000,
              f"gnuplot: exit {g.returncode}: {g.stderr}")


def case_tune():
    """`ompsweep tune` prints each region's curve as regions.csv has it."""
    p, out = run_exec(["--threads", "1,2", "--reps", "2", "--warmup", "0", "--", TWO, "10"])
    check(p.returncode == 0, f"exec exit {p.returncode}: {p.stderr}")
    if p.returncode != 0:
        return
    t = subprocess.run([OSW, "tune", out], capture_output=True, text=True, timeout=60)
    check(t.returncode == 0, f"tune exit {t.returncode}: {t.stderr}")
    text = t.stdout
    rows = read_csv(os.path.join(out, "regions.csv"))
    check("two_regions n=0: regions (regions.csv" in text, "the regions section")
    for region in {r["region"] for r in rows}:
        best = {}
        for r in rows:
            if r["region"] == region:
                th = int(r["threads"])
                best[th] = min(best.get(th, float("inf")), float(r["total_s"]))
        check(f"  {region} (main)" in text, f"{region} named")
        block = text[text.index(f"  {region} (main)"):]
        for th in (1, 2):
            want = f"{th:>11d}  {best[th]:12.6f} {best[1] / best[th]:8.3f}"
            check(want in block, f"{region}: line {want!r} in\n{block}")
        gains = best[1] / best[2] >= 1.10
        word = "still scaling at 2" if gains else "stops scaling at 1"
        check(word in block.split("\n  ")[0] or word in block[:block.find("share at")],
              f"{region}: {word}")
    prog1 = min(float(r["program_s"]) for r in rows if r["threads"] == "1")
    serial1 = [float(r["serial_s"]) for r in rows
               if r["threads"] == "1" and float(r["program_s"]) == prog1][0]
    check(f"f = {serial1 / prog1:.4f}" in text, f"serial fraction {serial1 / prog1:.4f}")
    # A malformed regions.csv: exit 2, one line naming the file and line.
    with open(os.path.join(out, "regions.csv"), "a") as f:
        f.write("two_regions,0,x,default,0,llvm,,r,main,/b,0x1,1,1,1,1,1,1,0,0,0,-,0,1,0,1\n")
    t = subprocess.run([OSW, "tune", out], capture_output=True, text=True, timeout=60)
    check(t.returncode == 2, f"malformed regions.csv: exit {t.returncode}, want 2")
    check(re.search(r"regions\.csv:\d+: column threads", t.stderr) is not None,
          f"the line names the cell: {t.stderr}")


def case_no_preload():
    """The preload trap: no source outside docs/ and tests/ names it."""
    word = "LD_" + "PRELOAD"
    found = []
    for root, dirs, files in os.walk(SRC):
        rel = os.path.relpath(root, SRC)
        top = rel.split(os.sep)[0]
        if top in ("docs", "tests", "results") or top.startswith((".", "build")):
            dirs[:] = []
            continue
        for name in files:
            path = os.path.join(root, name)
            try:
                with open(path, errors="replace") as f:
                    for i, line in enumerate(f):
                        if word in line:
                            found.append(f"{os.path.relpath(path, SRC)}:{i + 1}")
            except OSError:
                pass
    check(not found, f"{word} outside docs/ and tests/: {found}")


if __name__ == "__main__":
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    {"two_regions": case_two_regions, "thread_limit": case_thread_limit, "tune": case_tune,
     "refuse": case_refuse, "no_preload": case_no_preload,
     "runtime_axis": case_runtime_axis, "figure": case_figure}[CASE]()
    sys.exit(1 if failures else 0)
