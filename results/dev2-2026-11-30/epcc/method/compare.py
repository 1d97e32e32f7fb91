#!/usr/bin/python3
"""Side-by-side EPCC v4 vs ompsweep construct overheads, interleaved rounds.
Usage: compare.py OMPSWEEP EPCC_DIR OUT_CSV ROUNDS [--no-epcc-n]
Per round and thread count (1, 2): EPCC's five programs and ompsweep (n = 16384) in
alternating order, then ompsweep again at n = the inner repetitions EPCC chose for each test
in that round (tool ompsweep_epcc_n; one run per distinct n; --no-epcc-n skips it).
Column n: EPCC's innerreps (its "Computing X time using N reps" line) or ompsweep's n."""
import csv, os, re, subprocess, sys, time

osw, edir, out, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
epcc_n = "--no-epcc-n" not in sys.argv[5:]
env = dict(os.environ, OMP_PROC_BIND="close", OMP_PLACES="cores")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from epcc_names import MAP  # noqa: E402  (EPCC test -> ompsweep kernel)
progs = sorted({p for p, _ in MAP})

def run_epcc(prog, t):
    e = dict(env, OMP_NUM_THREADS=str(t))
    txt = subprocess.run([os.path.join(edir, prog)], env=e, capture_output=True, text=True).stdout
    got = {}
    for m in re.finditer(r"^(.+?) overhead\s+= (-?[0-9.]+) microseconds \+/- ([0-9.]+)", txt, re.M):
        got.setdefault(m.group(1).strip(), {})["mean"] = float(m.group(2)) * 1e3
        got[m.group(1).strip()]["ci"] = float(m.group(3)) * 1e3
    for m in re.finditer(r"^(.+?) median_ovrhd = (-?[0-9.]+) microseconds", txt, re.M):
        got.setdefault(m.group(1).strip(), {})["median"] = float(m.group(2)) * 1e3
    for m in re.finditer(r"^Computing (.+?) time using (\d+) reps", txt, re.M):
        if m.group(1).strip() in got:
            got[m.group(1).strip()]["reps"] = int(m.group(2))
    dl = re.search(r"(\d+) delay length", txt)
    return got, int(dl.group(1)) if dl else -1

def run_osw(kernels, t, d, n=None):
    subprocess.run([osw, "run", "--quiet", "--force", "--kernels", ",".join(kernels), "--threads",
                    str(t), "--schedules", "static", "--reps", "20", "--out", d] +
                   (["--sizes", str(n)] if n else []), env=env, check=True, capture_output=True)
    with open(os.path.join(d, "summary.csv")) as f:
        return {r["kernel"]: r for r in csv.DictReader(f)}

rows = []
for r in range(rounds):
    for t in (1, 2):
        reps = {}
        order = [0, 1] if (r + t) % 2 == 0 else [1, 0]
        for which in order:
            if which == 0:
                for prog in progs:
                    got, dl = run_epcc(prog, t)
                    for (p, name), k in MAP.items():
                        if p == prog and name in got:
                            g = got[name]
                            reps[k] = g.get("reps", "")
                            rows.append(dict(round=r + 1, threads=t, kernel=k, tool="epcc",
                                             construct=name, overhead_ns=g.get("mean"),
                                             median_overhead_ns=g.get("median"),
                                             ci95_ns=g.get("ci"), delay_length=dl,
                                             n=reps[k]))
            else:
                got = run_osw(sorted(set(MAP.values())), t, "/tmp/osw-cmp-%d" % t)
                for (p, name), k in MAP.items():
                    g = got[k]
                    rows.append(dict(round=r + 1, threads=t, kernel=k, tool="ompsweep",
                                     construct=name, overhead_ns=float(g["result"]),
                                     median_overhead_ns=float(g["result"]), ci95_ns="",
                                     delay_length="", n=g["n"]))
        if epcc_n:  # ompsweep at EPCC's inner repetitions of this round (at least one tree, 64)
            names = {k: name for (p, name), k in MAP.items()}
            byn = {}
            for k, n in reps.items():
                if n != "":
                    byn.setdefault(max(int(n), 64), []).append(k)
            for n, ks in sorted(byn.items()):
                got = run_osw(sorted(ks), t, "/tmp/osw-cmp-n-%d" % t, n)
                for k in ks:
                    rows.append(dict(round=r + 1, threads=t, kernel=k, tool="ompsweep_epcc_n",
                                     construct=names[k], overhead_ns=float(got[k]["result"]),
                                     median_overhead_ns=float(got[k]["result"]), ci95_ns="",
                                     delay_length="", n=got[k]["n"]))
    print("round", r + 1, "done", time.strftime("%H:%M:%S"), flush=True)
    with open(out, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
