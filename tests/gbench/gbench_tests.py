#!/usr/bin/env python3
"""Tests of ompsweep-gbench and of `ompsweep import-gbench` (label gbench).

Usage:
  gbench_tests.py run      --bin B --version V --kernels K1,K2 --work DIR
  gbench_tests.py fixture  --import CMD --fixture F --work DIR
  gbench_tests.py fresh    --import CMD --kernels K1,K2 --work DIR --json F
  gbench_tests.py malformed --import CMD --fixture F --errors E --work DIR
  gbench_tests.py exit_status --bin B --work DIR
  gbench_tests.py roundtrip --import CMD --compare CMD --base F --new F --work DIR
                            [--compare-py PATH]

CMD is the importer command line before FILE (`ompsweep import-gbench` or
the test driver), one argument per --import. Exit 0 pass, 1 fail, 77 skip.
"""
import argparse
import csv
import json
import math
import os
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
import osw_schema  # noqa: E402 (tests/osw_schema.py: the columns of lib/schema.def)

SKIP = 77
HEADER = ",".join(osw_schema.names())
THREADS = (1, 2)
UNITS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}

failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL: " + msg)
    return cond


def finish():
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("all checks passed")
    return 0


def fresh_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)


def run_import(cmd, json_path, out_dir, force=False):
    args = list(cmd) + [json_path, "--out", out_dir] + (["--force"] if force else [])
    p = subprocess.run(args, capture_output=True, text=True)
    if "built without cJSON" in p.stderr:
        print("SKIP: the importer was built without cJSON: " + p.stderr.strip())
        sys.exit(SKIP)
    return p


def read_summary(out_dir):
    with open(os.path.join(out_dir, "summary.csv"), newline="") as f:
        text = f.read()
    check(text.split("\n", 1)[0] == HEADER, "summary.csv header is the schema's")
    return list(csv.DictReader(text.splitlines()))


def parse_name(run_name):
    parts = run_name.split("/")
    key = {"kernel": parts[0]}
    for p in parts[1:]:
        if ":" in p:
            k, v = p.split(":", 1)
            key[k] = v
    return (key["kernel"], int(key["n"]), int(key["threads"]), key["schedule"],
            int(key["chunk"]))


def close(got, want, abs_tol, rel_tol=1e-6):
    if want is None or (isinstance(want, float) and math.isnan(want)):
        return got == ""
    if got == "":
        return False
    return math.isclose(float(got), want, rel_tol=rel_tol, abs_tol=abs_tol)


def expected_rows(doc):
    """Recomputes summary.csv from a gbench JSON document, independently."""
    groups = {}
    order = []
    for b in doc["benchmarks"]:
        key = parse_name(b.get("run_name", b["name"]))
        if key not in groups:
            groups[key] = {"iter": [], "agg": {}, "errors": 0}
            order.append(key)
        g = groups[key]
        if b.get("error_occurred"):
            g["errors"] += 1
        elif b.get("run_type", "iteration") == "iteration":
            g["iter"].append(b)
        elif b.get("aggregate_name") in ("mean", "median", "stddev"):
            g["agg"][b["aggregate_name"]] = b
    rows = {}
    for key in order:
        g = groups[key]
        e = {"reps": 0, "min": None, "median": None, "mean": None, "stddev": None,
             "gbps_median": None, "gbps_best": None, "inner": 0, "cpw": None,
             "verified": 0 if g["errors"] else 1}
        secs = [b["real_time"] * UNITS[b["time_unit"]] for b in g["iter"]]
        if secs:
            e.update(reps=len(secs), min=min(secs), median=statistics.median(secs),
                     mean=statistics.fmean(secs),
                     stddev=statistics.stdev(secs) if len(secs) > 1 else 0.0,
                     inner=g["iter"][0]["iterations"],
                     cpw=statistics.median(b["cpu_per_wall"] for b in g["iter"]))
            first = g["iter"][0]
            if first.get("bytes_per_second"):
                bytes_call = first["bytes_per_second"] * secs[0]
                e["gbps_median"] = bytes_call / e["median"] / 1e9
                e["gbps_best"] = bytes_call / e["min"] / 1e9
        elif "median" in g["agg"]:
            a = g["agg"]
            unit = UNITS[a["median"]["time_unit"]]
            e.update(reps=a["median"]["repetitions"], median=a["median"]["real_time"] * unit,
                     mean=a["mean"]["real_time"] * unit,
                     stddev=a["stddev"]["real_time"] * unit, cpw=a["median"]["cpu_per_wall"])
            if a["median"].get("bytes_per_second"):
                e["gbps_median"] = a["median"]["bytes_per_second"] / 1e9
        rows[key] = e
    for key, e in rows.items():
        base = rows.get((key[0], key[1], 1, key[3], key[4]))
        e["speedup"] = None
        if base and base["median"] and e["median"]:
            e["speedup"] = base["median"] / e["median"]
    return order, rows


def compare(out_dir, doc, bounds):
    order, want = expected_rows(doc)
    got = read_summary(out_dir)
    check([(r["kernel"], int(r["n"]), int(r["threads"]), r["schedule"], int(r["chunk"]))
           for r in got] == order, "rows are the JSON's configurations, in order")
    for r in got:
        key = (r["kernel"], int(r["n"]), int(r["threads"]), r["schedule"], int(r["chunk"]))
        e = want.get(key)
        if not e:
            continue
        tag = "/".join(str(k) for k in key)
        check(int(r["reps"]) == e["reps"], tag + ": reps %s == %s" % (r["reps"], e["reps"]))
        for col, k in (("min_s", "min"), ("median_s", "median"), ("mean_s", "mean"),
                       ("stddev_s", "stddev")):
            check(close(r[col], e[k], 2e-12), "%s: %s %s ~ %s" % (tag, col, r[col], e[k]))
        for col, k in (("gbps_median", "gbps_median"), ("gbps_best", "gbps_best"),
                       ("speedup", "speedup")):
            check(close(r[col], e[k], 2e-4, 1e-4), "%s: %s %s ~ %s" % (tag, col, r[col], e[k]))
        check(close(r["cpu_per_wall"], e["cpw"], 2e-3), tag + ": cpu_per_wall")
        if e["speedup"] is not None:
            check(close(r["efficiency"], e["speedup"] / key[2], 2e-4, 1e-4), tag + ": efficiency")
        check(int(r["verified"]) == e["verified"], tag + ": verified")
        check(r["ranks"] == "1", tag + ": ranks 1")
        check(int(r["inner"]) == e["inner"], tag + ": inner = iterations")
        if key[0] in bounds:
            check(r["bound"] == bounds[key[0]], tag + ": bound " + r["bound"])
        if e["reps"] >= 6 and e["min"] is not None:
            check(r["ci_lo_s"] != "" and float(r["ci_lo_s"]) <= float(r["median_s"]) <=
                  float(r["ci_hi_s"]), tag + ": 95% CI brackets the median")
        else:
            check(r["ci_lo_s"] == "" and r["ci_hi_s"] == "", tag + ": no CI below 6 reps")
    return got


def meta_ok(out_dir, doc):
    with open(os.path.join(out_dir, "meta.json")) as f:
        meta = json.load(f)
    check(meta.get("source") == "google-benchmark", "meta.json source")
    check(meta.get("schema_version") == osw_schema.version(), "meta.json schema_version")
    ctx = doc.get("context", {})
    for k in ("host_name", "num_cpus", "date", "library_version"):
        if k in ctx:
            check(meta.get(k) == ctx[k], "meta.json " + k)
    if "mhz_per_cpu" in ctx:
        check(meta.get("mhz") == ctx["mhz_per_cpu"], "meta.json mhz")


def load_json(path):
    # Google Benchmark writes NaN for 0/0 counters (cv aggregates); Python reads it.
    with open(path) as f:
        return json.load(f)


def cmd_run(a):
    fresh_dir(a.work)
    out = os.path.join(a.work, "run.json")
    major_minor = tuple(int(x) for x in (a.version or "0.0").split(".")[:2])
    min_time = "0.01s" if major_minor >= (1, 8) else "0.01"
    args = [a.bin, "--osw_kernels=" + a.kernels, "--osw_sizes=4096", "--osw_threads=1,2",
            "--benchmark_min_time=" + min_time,
            "--benchmark_out=" + out, "--benchmark_out_format=json"]
    print(" ".join(args))
    p = subprocess.run(args, capture_output=True, text=True)
    sys.stdout.write(p.stdout[-4000:])
    sys.stderr.write(p.stderr[-4000:])
    check(p.returncode == 0, "ompsweep-gbench exits 0 (got %d)" % p.returncode)
    if not check(os.path.exists(out), "JSON written"):
        return finish()
    doc = load_json(out)
    check("context" in doc, "JSON has a context block")
    rows = doc.get("benchmarks", [])
    seen = set()
    for b in rows:
        name = b["name"]
        check(not b.get("error_occurred"), name + ": no error_occurred (%s)" %
              b.get("error_message", ""))
        check(name.endswith("/real_time"), name + ": UseRealTime (name ends in /real_time)")
        check(b.get("real_time", 0) > 0, name + ": real_time > 0")
        for c in ("items_per_second", "n", "omp_threads", "chunk", "cpu_per_wall"):
            check(c in b, name + ": counter " + c)
        check(b.get("label") == "static", name + ": schedule label")
        kernel, n, threads, sched, chunk = parse_name(b["run_name"])
        check(n == 4096 and b.get("n") == 4096, name + ": n = 4096")
        check(b.get("omp_threads") == threads, name + ": omp_threads counter = threads arg")
        check(sched == "static" and chunk == 0, name + ": schedule static, chunk 0")
        check("bytes_per_second" not in b or b["bytes_per_second"] > 0, name + ": bytes > 0")
        seen.add((kernel, threads))
    for k in a.kernels.split(","):
        for t in THREADS:
            check((k, t) in seen, "kernel %s with %d threads present" % (k, t))
    check(len(rows) == len(seen), "one row per kernel and thread count")
    return finish()


def cmd_fixture(a):
    fresh_dir(a.work)
    doc = load_json(a.fixture)
    out = os.path.join(a.work, "out")
    p = run_import(a.imp, a.fixture, out)
    check(p.returncode == 0, "import exits 0 (got %d: %s)" % (p.returncode, p.stderr.strip()))
    got = compare(out, doc, {"triad": "memory", "countdown": "cpu", "mean_f64": "memory"})
    check(len(got) == 8, "8 rows: triad, countdown x 2 schedules x 2 thread counts")
    check({r["schedule"] for r in got} == {"static", "monotonic:dynamic"}, "schedules")
    check(all(r["gbps_median"] == "" for r in got if r["kernel"] == "countdown"),
          "no bandwidth for countdown (0 bytes)")
    check(all(float(r["speedup"]) == 1.0 for r in got if r["threads"] == "1"), "speedup 1 at 1")
    meta_ok(out, doc)

    # Existing non-empty out dir: refused without --force, replaced with it.
    p = run_import(a.imp, a.fixture, out)
    check(p.returncode == 3, "existing out dir without --force exits 3 (got %d)" % p.returncode)
    check(len(p.stderr.strip().splitlines()) == 1, "one stderr line for an existing out dir")
    p = run_import(a.imp, a.fixture, out, force=True)
    check(p.returncode == 0, "--force replaces (got %d)" % p.returncode)
    check(sorted(os.listdir(out)) == ["meta.json", "samples.csv", "summary.csv"],
          "no temporary files left")
    check_samples(out, doc)

    # Aggregates only (--benchmark_report_aggregates_only): the same file less its iterations.
    agg = dict(doc)
    agg["benchmarks"] = [b for b in doc["benchmarks"] if b.get("run_type") == "aggregate"]
    agg_path = os.path.join(a.work, "aggregates-only.json")
    with open(agg_path, "w") as f:
        json.dump(agg, f)
    out2 = os.path.join(a.work, "out-aggregates")
    p = run_import(a.imp, agg_path, out2)
    check(p.returncode == 0, "aggregates-only import exits 0 (%s)" % p.stderr.strip())
    rows2 = compare(out2, agg, {})
    check(all(r["min_s"] == "" and r["reps"] == "6" for r in rows2),
          "aggregates only: reps from the aggregates, no min")

    # Rows with error_occurred (a real run: n too large for memory) -> verified 0.
    out3 = os.path.join(a.work, "out-errors")
    p = run_import(a.imp, a.errors, out3)
    check(p.returncode == 0, "import of a run with errors exits 0 (%s)" % p.stderr.strip())
    rows3 = compare(out3, load_json(a.errors), {"triad": "memory"})
    check([r["verified"] for r in rows3] == ["1", "0"], "errored configuration has verified 0")
    return finish()


def read_samples(out_dir):
    """samples.csv as {key: [seconds by rep]}, checking header and rep numbers."""
    with open(os.path.join(out_dir, "samples.csv"), newline="") as f:
        text = f.read()
    check(text.split("\n", 1)[0] == "kernel,n,threads,schedule,chunk,env,rep,seconds,round",
          "samples.csv header is a run's")
    got = {}
    for r in csv.DictReader(text.splitlines()):
        key = (r["kernel"], int(r["n"]), int(r["threads"]), r["schedule"], int(r["chunk"]))
        got.setdefault(key, []).append((int(r["rep"]), float(r["seconds"])))
    for key, v in got.items():
        check([rep for rep, _ in v] == list(range(1, len(v) + 1)), "%s: reps 1..%d" % (key, len(v)))
        got[key] = [sec for _, sec in v]
    return got


def check_samples(out_dir, doc):
    """samples.csv holds each iteration row's real time in seconds, in input
    order (aggregates are not samples), and summary reps is their count."""
    want = {}
    for b in doc["benchmarks"]:
        if b.get("run_type", "iteration") == "iteration" and not b.get("error_occurred"):
            key = parse_name(b.get("run_name", b["name"]))
            want.setdefault(key, []).append(b["real_time"] * UNITS[b["time_unit"]])
    got = read_samples(out_dir)
    check(sorted(got) == sorted(want), "samples.csv: one series per configuration with "
          "iteration rows (%s vs %s)" % (sorted(got), sorted(want)))
    for key, w in want.items():
        g = got.get(key, [])
        check(len(g) == len(w) and all(math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-12)
                                       for x, y in zip(g, w)),
              "%s: samples are the repetitions' real times (%s vs %s)" % (key, g, w))
    for r in read_summary(out_dir):
        key = (r["kernel"], int(r["n"]), int(r["threads"]), r["schedule"], int(r["chunk"]))
        if key in want:
            check(int(r["reps"]) == len(want[key]), "%s: summary reps = samples" % (key,))
    return got


def find_scipy_python():
    """A Python that imports scipy (compare.py needs it): this one or the
    system's (python3-scipy installs there, a pyenv python3 may shadow it)."""
    for py in (sys.executable, "/usr/bin/python3"):
        if py and os.path.exists(py) and subprocess.run(
                [py, "-c", "import scipy.stats"], capture_output=True).returncode == 0:
            return py
    return None


def cmd_roundtrip(a):
    """Google Benchmark JSON -> import-gbench -> ompsweep compare gives the
    verdicts of Google Benchmark's own tools/compare.py U test on the same
    JSON files.

    How they should agree. Both run a two-sided Mann-Whitney U test on the
    repetitions' real times (compare.py's time_pvalue; its cpu_pvalue is not
    ours). compare.py calls scipy's mannwhitneyu with its default method: in
    scipy 1.10 (Debian 12) 'auto', exact only when a sample has fewer than 8
    values, so for 10 vs 10 the normal approximation with continuity and tie
    correction; ompsweep uses the exact distribution for nx + ny <= 50
    without ties. So:
      1. ours equals scipy's method='exact' on the same samples (rel 1e-9),
         or its asymptotic one when there are ties (same formula);
      2. ours and compare.py's time_pvalue are within 0.02 absolute and a
         factor 10 (for 10 vs 10 the exact and asymptotic p differ by at most
         0.0191 absolute, and up to ~8x at the extreme U = 0 or 100);
      3. the same significance at alpha 0.05 (ours p <= alpha, compare.py
         p < alpha). The two can disagree when p straddles alpha (10 vs 10:
         U = 15 gives exact 0.0524, asymptotic 0.0464), so the fixture's
         p-values are required to stay out of [0.02, 0.10], and the check is
         strict;
      4. ours "slower"/"faster" only with significance and the sign of
         compare.py's change of the median; the slowed-down kernel is slower
         and compare exits 4."""
    fresh_dir(a.work)
    compare_py = a.compare_py or os.environ.get("OSW_GBENCH_COMPARE_PY") or \
        "/usr/share/benchmark/compare.py"
    if not os.path.exists(compare_py):
        print("SKIP: %s not found (Debian: libbenchmark-tools)" % compare_py)
        return SKIP
    py = find_scipy_python()
    if not py:
        print("SKIP: no python3 with scipy for compare.py (Debian: python3-scipy)")
        return SKIP
    alpha = 0.05
    dirs = {}
    for which, path in (("base", a.base), ("new", a.new)):
        dirs[which] = os.path.join(a.work, which)
        p = run_import(a.imp, path, dirs[which])
        check(p.returncode == 0, "import %s exits 0 (%d: %s)" % (which, p.returncode,
                                                                 p.stderr.strip()))
        samples = check_samples(dirs[which], load_json(path))
        check(all(len(v) == 10 for v in samples.values()), "%s: 10 repetitions each" % which)
    p = subprocess.run(list(a.cmp) + [dirs["base"], dirs["new"], "--format", "json",
                                      "--alpha", str(alpha)], capture_output=True, text=True)
    check(p.returncode == 4, "compare exits 4 on the slowed-down kernel (got %d: %s)" %
          (p.returncode, p.stderr.strip()))
    try:
        ours = {(r["kernel"], r["n"], r["threads"], r["schedule"], r["chunk"]): r
                for r in json.loads(p.stdout)["results"]}
    except (ValueError, KeyError) as e:
        check(False, "compare --format json parses: %s: %r" % (e, p.stdout[:300]))
        return finish()

    dump = os.path.join(a.work, "compare-py.json")
    q = subprocess.run([py, compare_py, "--no-color", "--alpha", str(alpha), "--dump_to_json",
                        dump, "benchmarks", a.base, a.new], capture_output=True, text=True)
    check(q.returncode == 0, "compare.py exits 0 (%d: %s)" % (q.returncode, q.stderr[-500:]))
    print(q.stdout)
    if q.returncode != 0:
        return finish()
    theirs, median_change = {}, {}
    for e in load_json(dump):
        if "/n:" not in e["name"]:
            continue  # OVERALL_GEOMEAN
        key = parse_name(e["name"])
        if e.get("run_type") == "iteration" and e.get("utest"):
            theirs[key] = e["utest"]
        if e.get("aggregate_name") == "median":
            median_change[key] = e["measurements"][0]["time"]
    check(set(theirs) == set(ours) and len(ours) >= 3,
          "the same configurations U-tested (%s vs %s)" % (sorted(theirs), sorted(ours)))

    from_samples = {w: read_samples(dirs[w]) for w in dirs}
    slower = []
    for key in sorted(set(theirs) & set(ours)):
        r, u = ours[key], theirs[key]
        p_ours, p_theirs = r["p_value"], u["time_pvalue"]
        # 1. scipy on the samples ompsweep read.
        x, y = from_samples["base"][key], from_samples["new"][key]
        ties = len(set(x + y)) < len(x) + len(y)
        code = ("import sys, json; from scipy.stats import mannwhitneyu; x, y, m = "
                "json.load(sys.stdin); print(repr(mannwhitneyu(x, y, alternative='two-sided', "
                "method=m).pvalue))")
        s = subprocess.run([py, "-c", code], input=json.dumps(
            [x, y, "asymptotic" if ties else "exact"]), capture_output=True, text=True)
        p_scipy = float(s.stdout) if s.returncode == 0 else float("nan")
        check(math.isclose(p_ours, p_scipy, rel_tol=1e-9),
              "%s: p %.17g = scipy %s %.17g" % (key, p_ours, "asymptotic" if ties else "exact",
                                                p_scipy))
        # 2. close to compare.py's.
        check(abs(p_ours - p_theirs) <= 0.02 and 0.1 <= p_ours / p_theirs <= 10,
              "%s: p %.4g vs compare.py %.4g within 0.02 and a factor 10" %
              (key, p_ours, p_theirs))
        # 3. the same significance; the fixture is clear of the straddle band.
        check(not (0.02 <= p_ours <= 0.10 or 0.02 <= p_theirs <= 0.10),
              "%s: fixture p-values clear of alpha (%.4g, %.4g)" % (key, p_ours, p_theirs))
        sig_ours, sig_theirs = p_ours <= alpha, p_theirs < alpha
        check(sig_ours == sig_theirs, "%s: significant at %g: ours %s (p %.4g), compare.py %s "
              "(p %.4g)" % (key, alpha, sig_ours, p_ours, sig_theirs, p_theirs))
        # 4. direction.
        if r["verdict"] in ("slower", "faster"):
            check(sig_theirs and (median_change[key] > 0) == (r["verdict"] == "slower"),
                  "%s: %s agrees with compare.py's median change %+.4f" %
                  (key, r["verdict"], median_change[key]))
            if r["verdict"] == "slower":
                slower.append(key[0])
        else:
            check(r["verdict"] == "same", "%s: verdict %r" % (key, r["verdict"]))
        print("%-40s ours p %-10.4g %-7s compare.py time_pvalue %-10.4g median %+.4f" %
              ("/".join(map(str, key)), p_ours, r["verdict"], p_theirs,
               median_change.get(key, float("nan"))))
    check(a.slowed in slower, "the slowed-down kernel %s is slower (%s)" % (a.slowed, slower))
    return finish()


def cmd_fresh(a):
    fresh_dir(a.work)
    doc = load_json(a.json)
    out = os.path.join(a.work, "out")
    p = run_import(a.imp, a.json, out)
    check(p.returncode == 0, "import exits 0 (got %d: %s)" % (p.returncode, p.stderr.strip()))
    got = compare(out, doc, {})
    want = {(k, t) for k in a.kernels.split(",") for t in THREADS}
    check({(r["kernel"], int(r["threads"])) for r in got} == want, "every kernel x threads")
    check(all(r["reps"] == "1" and r["verified"] == "1" for r in got), "reps 1, verified")
    check_samples(out, doc)
    meta_ok(out, doc)
    return finish()


def cmd_malformed(a):
    fresh_dir(a.work)
    with open(a.fixture, "rb") as f:
        good = f.read()
    cases = {
        "truncated.json": good[: len(good) // 2],
        "not-json.json": b"kernel,n,threads\ntriad,4096,1\n",
        "no-benchmarks.json": b'{"context": {"host_name": "x"}}\n',
        "benchmarks-not-array.json": b'{"context": {}, "benchmarks": {"name": "x"}}\n',
        "foreign.json": b'{"context": {}, "benchmarks": [{"name": "BM_memcpy/64", '
                        b'"run_type": "iteration", "real_time": 1.0, "time_unit": "ns"}]}\n',
        "empty.json": b"",
    }
    for name, data in cases.items():
        path = os.path.join(a.work, name)
        with open(path, "wb") as f:
            f.write(data)
        out = os.path.join(a.work, "out-" + name)
        p = run_import(a.imp, path, out)
        check(p.returncode == 2, "%s: exit 2 (got %d)" % (name, p.returncode))
        lines = p.stderr.strip().splitlines()
        check(len(lines) == 1, "%s: one stderr line (got %r)" % (name, p.stderr))
        check(name in p.stderr, "%s: the message names the file" % name)
        check(not os.path.exists(out), "%s: out dir not created" % name)
    # A schedule or kernel name ompsweep does not write: refused, not imported.
    doc = json.loads(good)
    for what, old, new in (("schedule", "schedule:static", "schedule:guided;touch X"),
                           ("kernel", "triad/", "tri ad/")):
        bad = json.loads(json.dumps(doc).replace(old, new))
        path = os.path.join(a.work, "bad-%s.json" % what)
        with open(path, "w") as f:
            json.dump(bad, f)
        out = os.path.join(a.work, "out-bad-" + what)
        p = run_import(a.imp, path, out)
        check(p.returncode == 2, "bad %s: exit 2 (got %d: %s)" % (what, p.returncode, p.stderr))
        check(len(p.stderr.strip().splitlines()) == 1, "bad %s: one stderr line" % what)
        check(not os.path.exists(out), "bad %s: out dir not created" % what)
    # The input is the user's: missing, a directory, a link loop is exit 2
    # (usage), with the system's reason.
    loop = os.path.join(a.work, "loop.json")
    os.symlink("loop.json", loop)
    for what, path, reason in (("missing file", os.path.join(a.work, "does-not-exist.json"),
                                "No such file or directory"),
                               ("a directory", a.work, "Is a directory"),
                               ("a link loop", loop, "Too many levels of symbolic links")):
        out = os.path.join(a.work, "out-" + what.replace(" ", "-"))
        p = run_import(a.imp, path, out)
        check(p.returncode == 2, "%s: exit 2 (got %d: %s)" % (what, p.returncode, p.stderr))
        check(not os.path.exists(out), "%s: writes nothing" % what)
        check(len(p.stderr.strip().splitlines()) == 1, "%s: one stderr line" % what)
        check(reason in p.stderr, "%s: stderr says %r: %r" % (what, reason, p.stderr))
    # An --out that cannot be written: exit 3 (resource).
    fixture = os.path.join(a.work, "fixture.json")
    with open(fixture, "wb") as f:
        f.write(good)
    p = run_import(a.imp, fixture, os.path.join(fixture, "out"))
    check(p.returncode == 3, "unwritable --out: exit 3 (got %d: %s)" % (p.returncode, p.stderr))
    check(len(p.stderr.strip().splitlines()) == 1, "unwritable --out: one stderr line")
    return finish()


def cmd_exit_status(a):
    """ompsweep-gbench's exit statuses around Google Benchmark's own (1.7:
    exit 1 for an unwritable --benchmark_out, 0 for a filter that is not a
    regular expression or matches nothing, 0 with the usage for a bad format):
    2 for what the user gave wrong, 3 for an output it cannot write, each
    with one line of ours; nothing runs."""
    fresh_dir(a.work)
    base = [a.bin, "--osw_kernels=triad", "--osw_sizes=1024", "--osw_threads=1"]
    plain = os.path.join(a.work, "plain-file")
    with open(plain, "w") as f:
        f.write("x\n")
    cases = [
        ("unwritable --benchmark_out", ["--benchmark_out=" + os.path.join(plain, "out.json")], 3,
         "--benchmark_out '%s': Not a directory" % os.path.join(plain, "out.json")),
        ("--benchmark_out a directory", ["--benchmark_out=" + a.work], 3, "Is a directory"),
        ("filter not a regular expression", ["--benchmark_filter=triad(("], 2,
         "--benchmark_filter 'triad((' is not a regular expression"),
        ("filter matching nothing", ["--benchmark_filter=^nosuch"], 2,
         "no benchmark matches --benchmark_filter '^nosuch'"),
        ("unknown flag", ["--benchmark_nosuch=1"], 2, "unrecognized command-line flag"),
        ("bad --benchmark_out_format", ["--benchmark_out_format=xml"], 2,
         "--benchmark_out_format 'xml': accepted: console, json, csv"),
        ("bad --osw_ flag", ["--osw_nosuch=1"], 2, "unknown or incomplete flag"),
    ]
    for what, args, want, needle in cases:
        p = subprocess.run(base + args, capture_output=True, text=True, timeout=60)
        check(p.returncode == want, "%s: exit %d, want %d (%s)" % (what, p.returncode, want,
                                                                  p.stderr.strip()))
        ours = [l for l in p.stderr.splitlines() if "ompsweep-gbench" in l]
        check(len(ours) == 1 and needle in ours[0],
              "%s: one line of ours naming %r: %r" % (what, needle, p.stderr))
        check("/real_time" not in p.stdout, "%s: no benchmark ran: %r" % (what, p.stdout[-300:]))
    # A filter that matches runs, exit 0.
    p = subprocess.run(base + ["--benchmark_filter=triad", "--benchmark_list_tests=true"],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 0 and "triad/schedule:static" in p.stdout,
          "a filter that matches: exit %d: %s" % (p.returncode, p.stderr))
    return finish()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["run", "fixture", "fresh", "malformed", "exit_status",
                                     "roundtrip"])
    ap.add_argument("--bin")
    ap.add_argument("--version", default="")
    ap.add_argument("--kernels", default="")
    ap.add_argument("--work", required=True)
    ap.add_argument("--import", dest="imp", action="append", default=[])
    ap.add_argument("--fixture")
    ap.add_argument("--errors")
    ap.add_argument("--json")
    ap.add_argument("--compare", dest="cmp", action="append", default=[])
    ap.add_argument("--compare-py")
    ap.add_argument("--base")
    ap.add_argument("--new")
    ap.add_argument("--slowed", default="countdown")
    a = ap.parse_args()
    return {"run": cmd_run, "fixture": cmd_fixture, "fresh": cmd_fresh,
            "malformed": cmd_malformed, "exit_status": cmd_exit_status,
            "roundtrip": cmd_roundtrip}[a.mode](a)


if __name__ == "__main__":
    sys.exit(main())
