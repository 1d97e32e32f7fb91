#!/usr/bin/env python3
"""Every relative link and image of README.md and docs/*.md names a file or
folder that exists (label docs). Usage: links_tests.py SOURCE_DIR"""
import glob
import os
import re
import sys

src = sys.argv[1]
pages = [os.path.join(src, "README.md")] + sorted(glob.glob(os.path.join(src, "docs", "*.md")))
link = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
bad = []
count = 0
for page in pages:
    text = open(page, encoding="utf-8").read()
    # Code blocks quote commands, not links.
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    for m in link.finditer(text):
        target = m.group(1).split("#", 1)[0]
        if not target or re.match(r"^[a-z]+:", target):
            continue  # an anchor in the page, or http(s):, mailto:
        count += 1
        path = os.path.normpath(os.path.join(os.path.dirname(page), target))
        if not os.path.exists(path):
            line = text[: m.start()].count("\n") + 1
            bad.append(f"{os.path.relpath(page, src)}:{line}: {target} does not exist")
for b in bad:
    print("FAIL:", b)
print(f"{count} relative links and images in {len(pages)} pages; {len(bad)} broken")
sys.exit(1 if bad else 0)
