#!/usr/bin/python3
"""check_tables.py OMPSWEEP SUMMARY_CSV WORK_DIR: the tables of `ompsweep
plotdata` against independent arithmetic on the same CSV (Python's csv
module, scipy's bounded minimiser for the Amdahl fit), and its fit and size
crossover against `ompsweep tune` on the same data. Prints ok:/FAIL: lines;
exit 1 on any failure."""
import csv
import json
import math
import os
import re
import shutil
import subprocess
import sys

from scipy.optimize import minimize_scalar

osw, fixture, work = sys.argv[1:4]
fails = 0


def check(cond, what):
    global fails
    print(("ok: " if cond else "FAIL: ") + what)
    fails += 0 if cond else 1


def close(a, b, rel=1e-9):
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-300)


def reduce(src, out, kind=None):
    cmd = [osw, "plotdata", src, "--out", out] + (["--kind", kind] if kind else [])
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("FAIL: %s exited %d: %s" % (" ".join(cmd), r.returncode, r.stderr))


def index(path):
    """KIND.gp: {name: value or [values]} (arrays 1-based -> lists)."""
    v = {}
    for line in open(path, encoding="utf-8"):
        m = re.match(r"^array (\w+)\[(\d+)\]$", line)
        if m:
            v[m[1]] = [None] * int(m[2])
            continue
        m = re.match(r"^(\w+)(?:\[(\d+)\])? = (.*)$", line.rstrip("\n"))
        if not m:
            continue
        raw = m[3]
        val = json.loads(raw) if raw.startswith('"') else (float("nan") if raw == "NaN" else float(raw))
        if m[2]:
            v[m[1]][int(m[2]) - 1] = val
        else:
            v[m[1]] = val
    return v


def blocks(path):
    """A .dat file: its blocks (separated by two blank lines), rows of words."""
    out, cur, blank = [], [], 0
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line:
            blank += 1
            if blank == 2 and cur:
                out.append(cur)
                cur = []
            continue
        blank = 0
        if not line.startswith("#"):
            cur.append(line.split())
    if cur:
        out.append(cur)
    return out


def num(s):
    return float("nan") if s in ("", "NaN") else float(s)


rows = list(csv.DictReader(open(fixture, encoding="utf-8")))
good = [r for r in rows if r["verified"] == "1" and int(r.get("ranks") or 1) <= 1]


def series(r):
    return r["schedule"] + ("," + r["chunk"] if int(r["chunk"]) > 0 else "")


def amdahl(points):
    """Least squares f in [0, 1] over (p, S) with p > 1, or NaN under 2."""
    pts = [(p, s) for p, s in points if p > 1 and math.isfinite(s)]
    if len(pts) < 2:
        return float("nan")
    sse = lambda f: sum((1 / (f + (1 - f) / p) - s) ** 2 for p, s in pts)
    return minimize_scalar(sse, bounds=(0, 1), method="bounded", options={"xatol": 1e-12}).x


# ---- speedup: the series, their values and the Amdahl fit ----------------------
t = os.path.join(work, "t")
reduce(fixture, t)
ix = index(os.path.join(t, "speedup.gp"))
for i in range(int(ix["pd_nfig"])):
    k, n = ix["pd_kernel"][i], int(ix["pd_n"][i])
    want_n = max(int(r["n"]) for r in good if r["kernel"] == k and r["speedup"])
    check(n == want_n, "speedup %s: at the largest n with speedups (%d)" % (k, want_n))
    b = blocks(os.path.join(t, ix["pd_data"][i]))
    s0, ns = int(ix["pd_s0"][i]), int(ix["pd_ns"][i])
    names = ix["pd_sname"][s0:s0 + ns]
    want = sorted({series(r) for r in good if r["kernel"] == k and int(r["n"]) == n})
    check(sorted(names) == want and len(b) == ns, "speedup %s: series %s" % (k, " ".join(names)))
    for j, name in enumerate(names):
        mine = [r for r in good if r["kernel"] == k and int(r["n"]) == n and series(r) == name]
        mine.sort(key=lambda r: int(r["threads"]))
        got = [(int(x[0]), float(x[1]), float(x[2]), float(x[3])) for x in b[j]]
        exp = [(int(r["threads"]), float(r["speedup"]), num(r["speedup_lo"] or r["speedup"]),
                num(r["speedup_hi"] or r["speedup"])) for r in mine]
        check(len(got) == len(exp) and all(g[0] == e[0] and all(close(g[c], e[c]) for c in (1, 2, 3))
                                            for g, e in zip(got, exp)),
              "speedup %s %s: threads, speedup and its CI as in the CSV" % (k, name))
        f = amdahl([(int(r["threads"]), float(r["speedup"])) for r in mine])
        got_f = ix["pd_sfit"][s0 + j]
        check(close(f, got_f, 1e-6) or abs(f - got_f) < 1e-7,
              "speedup %s %s: Amdahl f %.9f = scipy's least squares %.9f" % (k, name, got_f, f))

# ---- tune's fit and crossover on the same data ----------------------------------
# One series per (kernel, n) (static only), its speedup column the ratio of
# medians tune computes: the figure's fit of that series is tune's fit.
run = os.path.join(work, "run")
os.makedirs(run, exist_ok=True)
static = [dict(r) for r in rows if r["schedule"] == "static" and int(r["chunk"]) == 0]
for r in static:
    base = [q for q in static if q["kernel"] == r["kernel"] and q["n"] == r["n"] and q["threads"] == "1"]
    r["speedup"] = repr(float(base[0]["median_s"]) / float(r["median_s"])) if base else ""
    r["speedup_lo"] = r["speedup_hi"] = ""
with open(os.path.join(run, "summary.csv"), "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
    w.writeheader()
    w.writerows(static)
shutil.copy(os.path.join(os.path.dirname(fixture), "meta-fixture.json"), os.path.join(run, "meta.json"))
tr = subprocess.run([osw, "tune", run, "--format", "json"], capture_output=True, text=True)
check(tr.returncode == 0, "ompsweep tune on the static rows: exit 0 %s" % tr.stderr.strip()[:200])
tune = json.loads(tr.stdout) if tr.returncode == 0 else {}
tr_groups = {(g["kernel"], int(g["n"])): g for g in tune.get("kernels", [])}
reduce(run, os.path.join(work, "tr"))
ix = index(os.path.join(work, "tr", "speedup.gp"))
compared = 0
for i in range(int(ix["pd_nfig"])):
    key = (ix["pd_kernel"][i], int(ix["pd_n"][i]))
    g = tr_groups.get(key)
    fig_f = ix["pd_sfit"][int(ix["pd_s0"][i])]
    if g is None or g.get("amdahl_serial_fraction") is None:
        check(False, "tune has an Amdahl fit for %s n=%d" % key)
        continue
    compared += 1
    check(abs(fig_f - g["amdahl_serial_fraction"]) <= 5e-6 * max(1, fig_f),
          "%s n=%d: figure's f %.6g = tune's %.6g" % (key + (fig_f, g["amdahl_serial_fraction"])))
check(compared >= 3, "the fit compared with tune on %d kernels" % compared)
six = index(os.path.join(work, "tr", "size.gp"))
cross = {c["kernel"]: c for c in tune.get("size_crossover", [])}
for i in range(int(six["pd_nfig"])):
    k = six["pd_kernel"][i]
    below = six["pd_below"][i]
    tb = cross.get(k, {}).get("serial_below_n")
    check((tb is None and math.isnan(below)) or (tb is not None and below == tb),
          "size %s: crossover below n = %s, as tune says (%s)" % (k, below, tb))

# ---- bandwidth saturation: tune's rule, on data that saturates at 4 threads -----
sat = os.path.join(work, "sat")
os.makedirs(sat, exist_ok=True)
flat = [dict(r) for r in rows]
for r in flat:
    if r["threads"] == "8" and r["gbps_median"]:
        four = [q for q in rows if q["kernel"] == r["kernel"] and q["n"] == r["n"] and q["threads"] == "4"
                and q["schedule"] == r["schedule"] and q["chunk"] == r["chunk"]]
        if four and four[0]["gbps_median"]:
            r["gbps_median"] = repr(float(four[0]["gbps_median"]) * 1.02)
with open(os.path.join(sat, "summary.csv"), "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
    w.writeheader()
    w.writerows(flat)
tr = subprocess.run([osw, "tune", sat, "--format", "json"], capture_output=True, text=True)
tsat = {(g["kernel"], int(g["n"])): (g.get("saturation") or {}).get("threads")
        for g in json.loads(tr.stdout).get("kernels", [])} if tr.returncode == 0 else {}
reduce(sat, os.path.join(work, "sat-t"), "bandwidth")
ix = index(os.path.join(work, "sat-t", "bandwidth.gp"))
for i in range(int(ix["pd_nfig"])):
    k, n = ix["pd_kernel"][i], int(ix["pd_n"][i])
    best = {}
    for r in flat:
        if r["kernel"] == k and int(r["n"]) == n and r["verified"] == "1" and r["bound"] == "memory" and r["gbps_median"]:
            best[int(r["threads"])] = max(best.get(int(r["threads"]), 0), float(r["gbps_median"]))
    ts = sorted(best)
    want = 0
    for j, p in enumerate(ts[:-1]):
        if max(best[q] for q in ts[j + 1:]) < 1.05 * best[p]:
            want = p
            break
    got = int(ix["pd_sat"][i])
    check(got == want and got == (tsat.get((k, n)) or 0),
          "bandwidth %s n=%d: saturates at %d threads (independent: %d, tune: %s)" % (k, n, got, want, tsat.get((k, n))))

# ---- size: 1 thread wins where its median is at most the best parallel one ------
ix = index(os.path.join(t, "size.gp"))
for i in range(int(ix["pd_nfig"])):
    k = ix["pd_kernel"][i]
    sizes = sorted({int(r["n"]) for r in good if r["kernel"] == k})
    lose = []
    for n in sizes:
        t1 = [float(r["median_s"]) for r in good if r["kernel"] == k and int(r["n"]) == n and r["threads"] == "1"]
        tp = [float(r["median_s"]) for r in good if r["kernel"] == k and int(r["n"]) == n and r["threads"] != "1"]
        if t1 and tp:
            lose.append(min(t1) <= min(tp))
    # below n: the smallest n from which parallel wins at every larger size
    below = float("nan")
    if any(lose) and not all(lose):
        for j in range(len(lose) - 1, -1, -1):
            if lose[j]:
                break
            below = sizes[j]
    got = ix["pd_below"][i]
    check((math.isnan(below) and math.isnan(got)) or below == got,
          "size %s: 1 thread wins below n = %s (independent: %s)" % (k, got, below))
    spans = ix["pd_spans"][i].split()
    check(len(spans) // 3 == sum(lose), "size %s: one shaded stretch per size where 1 thread wins" % k)

# ---- bandwidth: the triad ceiling at the same n ----------------------------------
ix = index(os.path.join(t, "bandwidth.gp"))
for i in range(int(ix["pd_nfig"])):
    k, n = ix["pd_kernel"][i], int(ix["pd_n"][i])
    b = blocks(os.path.join(t, ix["pd_data"][i]))
    best = {}
    for r in good:
        if r["kernel"] == "triad" and int(r["n"]) == n:
            g = num(r["gbps_best"] or r["gbps_median"])
            best[int(r["threads"])] = max(best.get(int(r["threads"]), g), g)
    ceil = [(int(x[0]), float(x[1])) for x in b[-1] if x[0] != "NaN"]
    check(ceil == sorted(best.items()) and close(ix["pd_cpeak"][i], max(best.values()))
          if best else (ceil == [] and ix["pd_ceil"][i] == 0),
          "bandwidth %s n=%d: ceiling = triad's best GB/s per thread count at the same n" % (k, n))

# ---- schedules: time / fastest ----------------------------------------------------
ix = index(os.path.join(t, "schedules.gp"))
for i in range(int(ix["pd_nfig"])):
    k, n, p = ix["pd_kernel"][i], int(ix["pd_n"][i]), int(ix["pd_P"][i])
    mine = [r for r in good if r["kernel"] == k and int(r["n"]) == n and int(r["threads"]) == p]
    fastest = min(float(r["median_s"]) for r in mine)
    got = {x[4]: float(x[6]) for x in blocks(os.path.join(t, ix["pd_data"][i]))[0]}
    check(len(got) == len(mine) and all(close(got[series(r)], float(r["median_s"]) / fastest) for r in mine),
          "schedules %s at %d threads: ratio = median / fastest" % (k, p))

# ---- nothing of the unverified row ------------------------------------------------
bad = [r for r in rows if r["verified"] != "1"]
vals = {r[c] for r in bad for c in ("median_s", "speedup", "gbps_median") if r[c]}
leaked = [f for f in os.listdir(t) for v in vals
          if re.search(r"(^|\s)%s(\s|$)" % re.escape(v), open(os.path.join(t, f), encoding="utf-8").read(), re.M)]
check(not leaked, "no value of the unverified row in any table %s" % leaked)

print("%d check(s) failed" % fails if fails else "all tables checked")
sys.exit(1 if fails else 0)
