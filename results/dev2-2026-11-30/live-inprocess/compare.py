#!/usr/bin/env python3
"""Reduces back-to-back.sh's OUT: per problem and racing run, the wall time
against each grid run's, the answer, and the answer's median in each grid
run over that grid's best. Usage: compare.py OUT > table.md"""
import csv, os, sys

out = sys.argv[1]
walls = {}
for line in open(os.path.join(out, "walls.txt")):
    name, secs, load, at = line.split()
    walls[name] = (float(secs), float(load), at)

def grid(path):
    rows = list(csv.DictReader(open(os.path.join(path, "summary.csv"))))
    assert all(r["verified"] == "1" for r in rows), path
    return {(r["threads"], r["schedule"], r["chunk"]): float(r["median_s"]) for r in rows}

print("| problem | run | wall (s) | load at start | samples | answer | its median | answer / best, grid 1 | grid 2 |")
print("|---|---|---:|---:|---:|---|---:|---:|---:|")
for prob in sorted({n.split("-")[0] for n in walls}):
    g = {k: grid(os.path.join(out, f"{prob}-{k}")) for k in ("grid1", "grid2")}
    for k in ("grid1", "grid2"):
        best = min(g[k], key=g[k].get)
        w = walls[f"{prob}-{k}"]
        # the grid's own answer in both grids: how far two full grids agree
        rel = [g[x][best] / min(g[x].values()) for x in ("grid1", "grid2")]
        print(f"| {prob} | {k} | {w[0]:.1f} | {w[1]:.2f} | {20 * len(g[k])} | threads={best[0]} {best[1]},{best[2]} | {g[k][best]*1e3:.3f} ms | {rel[0]:.3f} | {rel[1]:.3f} |")
    for k in sorted(n.split("-", 1)[1] for n in walls if n.startswith(prob + "-racing")):
        r = list(csv.DictReader(open(os.path.join(out, f"{prob}-{k}.out"))))[0]
        ans = list(csv.DictReader(open(os.path.join(out, f"{prob}-{k}", "configs.csv"))))
        win = [c for c in ans if c["winner"] == "1"][0]
        key = (win["threads"], win["schedule"], win["chunk"])
        rel = [g[x][key] / min(g[x].values()) for x in ("grid1", "grid2")]
        w = walls[f"{prob}-{k}"]
        wg = [walls[f"{prob}-{x}"][0] for x in ("grid1", "grid2")]
        print(f"| {prob} | {k} ({w[0] / wg[0]:.0%} / {w[0] / wg[1]:.0%} of the grids' wall) | {w[0]:.1f} | {w[1]:.2f} | {r['spent']} | threads={key[0]} {key[1]},{key[2]} | {float(win['median_s'])*1e3:.3f} ms | {rel[0]:.3f} | {rel[1]:.3f} |")
