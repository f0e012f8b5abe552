#!/usr/bin/env python3
"""same.py KIND A B — compares what two corpus backends answered.
  json A B      two JSON documents equal (reals to 1e-6)
  hits A B      two `rfx search --json` outputs hold the same risks (ids), in any order
  lineage A B   two `rfx export --jsonl` equal once ids are replaced by (source_path, index):
                the same filings, risks, statuses and predecessors, whatever order wrote them
Exit 0 when equal, 1 with the first difference on stderr."""
import json, math, sys

def close(a, b, path="$"):
    if isinstance(a, float) or isinstance(b, float):
        if isinstance(a, (int, float)) and isinstance(b, (int, float)) and math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6):
            return None
        return "%s: %r != %r" % (path, a, b)
    if type(a) != type(b):
        return "%s: %r != %r" % (path, a, b)
    if isinstance(a, dict):
        if list(a) != list(b):
            return "%s: keys %s != %s" % (path, list(a), list(b))
        for k in a:
            d = close(a[k], b[k], path + "." + k)
            if d: return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return "%s: %d items != %d" % (path, len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            d = close(x, y, "%s[%d]" % (path, i))
            if d: return d
        return None
    return None if a == b else "%s: %r != %r" % (path, a, b)

def lineage(path):
    rows = [json.loads(l) for l in open(path)]
    key = {r["risk_id"]: (r["source_path"], r["risk_index"]) for r in rows}
    out = []
    for r in rows:
        r = dict(r)
        r["prev_risk_id"] = key.get(r["prev_risk_id"]) if r["prev_risk_id"] is not None else None
        del r["risk_id"], r["filing_id"]
        out.append(r)
    out.sort(key=lambda r: (r["source_path"], r["risk_index"]))
    return json.loads(json.dumps(out))

kind, a, b = sys.argv[1:4]
if kind == "json":
    d = close(json.load(open(a)), json.load(open(b)))
elif kind == "hits":
    x = sorted(h["risk_id"] for h in json.load(open(a))["hits"])
    y = sorted(h["risk_id"] for h in json.load(open(b))["hits"])
    d = None if x == y else "hits differ: %d vs %d; only in first %s; only in second %s" % (
        len(x), len(y), sorted(set(x) - set(y))[:10], sorted(set(y) - set(x))[:10])
elif kind == "lineage":
    d = close(lineage(a), lineage(b))
else:
    d = "unknown kind " + kind
if d:
    print(d, file=sys.stderr)
    sys.exit(1)
