#!/usr/bin/env python3
"""ulp-drift.py SUMMARY_CSV [...]: how far a kernel's result moves with the
thread count and the schedule, in units in the last place (ULPs).

For each kernel and n with a result column, prints the number of
configurations, the largest distance from the 1-thread static result (the
reference; the first 1-thread row when there is no static one), the largest
distance between any two configurations (max - min), and the configuration
farthest from the reference. The ULP distance of two doubles is the
difference of their bit patterns read as integers (ordered so that it is
monotonic across zero). Rows without a result (empty cell) are skipped."""
import csv
import struct
import sys


def ulp_key(x):
    """The bits of double x as an integer that orders like the doubles."""
    (i,) = struct.unpack("<q", struct.pack("<d", x))
    return i if i >= 0 else -(1 << 63) - i


def config_name(row):
    sched = row["schedule"]
    chunk = row.get("chunk", "0")
    return "%st %s%s" % (row["threads"], sched, "" if chunk in ("", "0") else ":" + chunk)


def main(paths):
    groups = {}
    for path in paths:
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                text = row.get("result", "")
                if text == "":
                    continue
                groups.setdefault((row["kernel"], int(row["n"])), []).append(row)
    if not groups:
        print("ulp-drift: no rows with a result", file=sys.stderr)
        return 1
    header = ("kernel", "n", "configs", "max ulp vs 1t static", "spread ulp", "farthest")
    lines = [header]
    for (kernel, n), rows in sorted(groups.items()):
        ones = [r for r in rows if r["threads"] == "1"]
        static = [r for r in ones if r["schedule"] == "static" and r.get("chunk", "0") in ("", "0")]
        ref_row = (static or ones or rows)[0]
        ref = ulp_key(float(ref_row["result"]))
        keys = [(ulp_key(float(r["result"])), r) for r in rows]
        far_key, far_row = max(keys, key=lambda kr: abs(kr[0] - ref))
        spread = max(k for k, _ in keys) - min(k for k, _ in keys)
        lines.append((kernel, str(n), str(len(rows)), str(abs(far_key - ref)), str(spread),
                      config_name(far_row) if far_key != ref else "-"))
    widths = [max(len(line[c]) for line in lines) for c in range(len(header))]
    for line in lines:
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip())
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
