#!/usr/bin/python3
"""merge.py ROUNDS_DIR OUT_DIR: joins the 20 one-sample rounds record.sh
wrote (ROUNDS_DIR/NAME-R) into OUT_DIR/NAME/samples.csv, rep = round, and
keeps round 1's meta.json. Refuses a round whose summary.csv has an
unverified row or a status other than ok."""
import csv
import os
import shutil
import sys

src, out = sys.argv[1:3]
names = sorted({d.rsplit("-", 1)[0] for d in os.listdir(src) if os.path.isdir(os.path.join(src, d))})
for name in names:
    rounds = sorted(int(d.rsplit("-", 1)[1]) for d in os.listdir(src)
                    if d.rsplit("-", 1)[0] == name and os.path.isdir(os.path.join(src, d)))
    os.makedirs(os.path.join(out, name), exist_ok=True)
    rows = []
    for r in rounds:
        d = os.path.join(src, "%s-%d" % (name, r))
        for s in csv.DictReader(open(os.path.join(d, "summary.csv"))):
            if s["verified"] != "1" or s.get("status", "") not in ("", "ok"):
                sys.exit("%s: %s threads=%s %s,%s not verified/ok" % (d, s["kernel"], s["threads"], s["schedule"], s["chunk"]))
        for s in csv.DictReader(open(os.path.join(d, "samples.csv"))):
            rows.append((s["kernel"], int(s["n"]), int(s["threads"]), s["schedule"], int(s["chunk"]), r, s["seconds"]))
    rows.sort()
    with open(os.path.join(out, name, "samples.csv"), "w") as f:
        f.write("kernel,n,threads,schedule,chunk,rep,seconds\n")
        for k in rows:
            f.write("%s,%d,%d,%s,%d,%d,%s\n" % k)
    shutil.copy(os.path.join(src, "%s-%d" % (name, rounds[0]), "meta.json"), os.path.join(out, name, "meta.json"))
    print(name, len(rounds), "rounds", len(rows), "samples")
