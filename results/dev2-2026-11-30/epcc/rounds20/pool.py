#!/usr/bin/python3
"""pool.py OUT_CSV SET_CSV...: the rounds of several sets in one file (round
numbers offset by 100 per set), for reduce.py: `pool.py pooled.csv
rounds20.csv set4-slotfix.csv set5-split.csv && reduce.py pooled.csv
pooled-ratios.csv`."""
import csv
import sys

rows = []
for k, f in enumerate(sys.argv[2:]):
    for r in csv.DictReader(open(f)):
        r["round"] = str(int(r["round"]) + 100 * k)
        rows.append(r)
with open(sys.argv[1], "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
