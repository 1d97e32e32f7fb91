#!/usr/bin/python3
"""Method-difference experiment: for the constructs outside 0.8-1.25x, per round
(shuffled order) EPCC default, EPCC --test-time 10000 (stable innerreps), ompsweep default,
ompsweep at n = the innerreps EPCC chose in this round, ompsweep built with a noinline delay (OMPSWEEP_NOINLINE "-": only EPCC default, ompsweep,
ompsweep at EPCC's n). FOCUS_REPS: ompsweep --reps (default 20).
Usage: focus.py OMPSWEEP OMPSWEEP_NOINLINE EPCC_DIR OUT_CSV ROUNDS THREADS"""
import csv, os, random, re, subprocess, sys, time
osw, oswni, edir, out, rounds, thr = sys.argv[1:7]
rounds, thr = int(rounds), int(thr)
REPS = os.environ.get("FOCUS_REPS", "20")
env = dict(os.environ, OMP_PROC_BIND="close", OMP_PLACES="cores", OMP_NUM_THREADS=str(thr))
T = [("syncbench", "CRITICAL", "CRITICAL", "sync_critical"),
     ("syncbench", "LOCK_CONTENDED", "LOCK_CONTENDED", "sync_lock"),
     ("syncbench", "ORDERED", "ORDERED", "sync_ordered"),
     ("syncbench", "SINGLE", "SINGLE", "sync_single"),
     ("taskbench", "MASTER_TASK_BUSY_SLAVES", "MASTER TASK BUSY SLAVES", "task_master_busy"),
     ("taskbench", "CONDITIONAL_TASK", "CONDITIONAL TASK", "task_conditional"),
     ("taskbench", "TASK_BARRIER", "TASK BARRIER", "task_barrier"),
     ("taskbench", "BRANCH_TASK_TREE", "BRANCH TASK TREE", "task_branch_tree"),
     ("taskbench", "LEAF_TASK_TREE", "LEAF TASK TREE", "task_leaf_tree"),
     ("arraybench_1", "COPYPRIVATE", "COPYPRIVATE 1", "array_copyprivate_1"),
     ("arraybench_729", "PRIVATE", "PRIVATE 729", "array_private_729"),
     ("arraybench_729", "FIRSTPRIVATE", "FIRSTPRIVATE 729", "array_firstprivate_729"),
     ("arraybench_729", "COPYIN", "COPYIN 729", "array_copyin_729")]
if len(sys.argv) > 7:
    T = [t for t in T if t[3] in sys.argv[7].split(",")]

def epcc(prog, only, name, extra):
    txt = subprocess.run([os.path.join(edir, prog), "--measureonly", only] + extra, env=env,
                         capture_output=True, text=True).stdout
    reps = [int(m.group(2)) for m in re.finditer(r"^Computing (.+?) time using (\d+) reps", txt, re.M)
            if not m.group(1).startswith("reference")]
    med = re.search(r"^%s median_ovrhd = (-?[0-9.]+)" % re.escape(name), txt, re.M)
    return (reps[-1] if reps else -1), (float(med.group(1)) * 1e3 if med else float("nan"))

def ours(binary, kernel, n=None):
    d = "/tmp/osw-focus-%d" % os.getpid()
    cmd = [binary, "run", "--quiet", "--force", "--kernels", kernel, "--threads", str(thr),
           "--schedules", "static", "--reps", REPS, "--out", d]
    if n:
        cmd += ["--sizes", str(n)]
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    r = next(csv.DictReader(open(os.path.join(d, "summary.csv"))))
    assert r["verified"] == "1", kernel
    return int(r["n"]), float(r["result"])

rows = []
rng = random.Random(1)
for r in range(rounds):
    for prog, only, name, k in T:
        last_reps = [None]
        def e_def():
            n, v = epcc(prog, only, name, [])
            last_reps[0] = n
            return n, v
        variants = [("epcc", e_def), ("ompsweep", lambda: ours(osw, k))]
        if oswni != "-":
            variants += [("epcc_tt10ms", lambda: epcc(prog, only, name, ["--test-time", "10000"])),
                         ("ompsweep_noinline", lambda: ours(oswni, k))]
        rng.shuffle(variants)
        # ompsweep at EPCC's innerreps needs this round's EPCC run first
        variants.append(("ompsweep_epcc_n", lambda: ours(osw, k, max(last_reps[0], 64))))
        for v, f in variants:
            n, val = f()
            rows.append(dict(round=r + 1, threads=thr, kernel=k, construct=name, variant=v, n=n,
                             overhead_ns="%.1f" % val, load1="%.2f" % os.getloadavg()[0]))
    print("round", r + 1, time.strftime("%H:%M:%S"), os.getloadavg()[0], flush=True)
    with open(out, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
