#!/usr/bin/python3
"""osw_spearman_order (lib/stats.c, summary.csv's drift_rho) against
scipy.stats.spearmanr(range(n), x) on every sequence of a fixture file:
equal within 1e-12, and NaN exactly where ompsweep leaves drift_rho empty
(fewer than 3 samples; every sample equal, where scipy's is NaN too).

Usage: spearman_scipy.py TEST_SPEARMAN FIXTURE. Exit 77 without scipy."""
import math
import subprocess
import sys
import warnings

try:
    from scipy.stats import spearmanr
except ImportError:
    print("SKIP: scipy is not installed for", sys.executable)
    sys.exit(77)


def main():
    binary, fixture = sys.argv[1], sys.argv[2]
    seqs = []
    with open(fixture) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                seqs.append([float(v) for v in line.split(",")])
    out = subprocess.run([binary, fixture], capture_output=True, text=True, check=True).stdout
    got = [float(v) for v in out.split()]
    if len(got) != len(seqs):
        print(f"FAIL: {len(got)} values for {len(seqs)} sequences")
        return 1
    bad = 0
    for i, (x, g) in enumerate(zip(seqs, got)):
        if len(x) < 3:
            want = math.nan
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # constant input: scipy warns and gives NaN
                want = float(spearmanr(list(range(len(x))), x).correlation)
        same = (math.isnan(want) and math.isnan(g)) or abs(want - g) <= 1e-12
        print(f"{'ok  ' if same else 'FAIL'} sequence {i + 1}: n={len(x)} ompsweep {g!r} scipy {want!r}")
        bad += not same
    nontrivial = sum(1 for x in seqs if len(x) >= 10)
    if nontrivial < 5:
        print(f"FAIL: the fixture has only {nontrivial} sequences of 10 samples or more")
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
