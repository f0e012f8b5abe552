#!/usr/bin/env python3
"""isb_register.py — an isb_capstone_item1a headers/contents pair as a saved rfx register.

The isb files list each risk's heading (HEADER_n) and body (CONTENT_n), cut by
a script from bold/italic runs. HEADER_1 is the Item title and HEADER_2 the
preamble; a heading with an empty body is a group caption. Writing them as a
register lets `rfx diff` be evaluated on segmentation that does not depend on
rfx's own parser.  usage: isb_register.py PREFIX > out.json
(PREFIX = .../NVDA/NVDA_10-K_filed2015-03-12)
"""
import html, json, re, sys


def sections(path, tag):
    text = open(path, encoding="utf-8", errors="replace").read()
    parts = re.split(r"^%s_(\d+):\n" % tag, text, flags=re.M)
    out = {}
    for i in range(1, len(parts) - 1, 2):
        out[int(parts[i])] = html.unescape(parts[i + 1]).replace("\xa0", " ").strip()
    return out


prefix = sys.argv[1]
heads = sections(prefix + "_headers.txt", "HEADER")
bodies = sections(prefix + "_contents.txt", "CONTENT")
risks, group, preamble = [], None, heads.get(2, "")
for n in sorted(heads):
    if n <= 2:
        continue
    h, b = heads[n], bodies.get(n, "")
    if not b:
        group = h
        continue
    risks.append({"index": len(risks) + 1, "group": group, "heading": h, "body": b})
print(json.dumps({"rfx": "0.1.0", "source": {"path": prefix, "format": "html"},
                  "filing": {"company": prefix.split("/")[-1].split("_")[0]},
                  "section": {"found": True, "title": heads.get(1), "how": "isb"},
                  "preamble": preamble, "risks": risks}))
