#!/usr/bin/env python3
"""classify_boilerplate.py — builds data/wordlists/boilerplate_4grams.txt.

Lang & Stice-Lawrence (2015) call a sentence boilerplate when it contains a
4-gram that many filers use. This script counts, for every 4-gram of words
inside a sentence, how many companies' risk-factor sections contain it, and
keeps those used by at least --share of the companies (default 30 %).

Inputs (all read-only):
  --corpus     JSONL of risks {"company","heading","body"} (the unlabelled
               corpus written by tools/build_label_corpus.py --corpus-out)
  --item1a     directories of plain Item 1A texts, one sub-folder per company
               (../shared/data/filings/edgarriskfactor_item1a)

Tokens follow src/classify/metrics.c: runs of letters/digits joined by
' - . (and digit,digit), lower-cased, any token with a digit becomes "#",
’ becomes '. Standard library only; the output is deterministic.
"""
import argparse, collections, glob, json, os, re, sys

W = "A-Za-z0-9\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u0370-\u1FFF\u3040-\u9FFF\uAC00-\uD7AF"
TOKEN = re.compile(f"[{W}]+(?:(?:['\\-.]|(?<=\\d),(?=\\d))[{W}]+)*")
SENT = re.compile(r"(?<=[.!?])[\"')\u201d\u2019]*\s+(?=[A-Z0-9\"(])|\n")


def norm(tok):
    return "#" if any(c.isdigit() for c in tok) else tok.lower()


def grams(text):
    out = set()
    text = text.replace("\u2019", "'")
    for sent in SENT.split(text):
        toks = [norm(t) for t in TOKEN.findall(sent)]
        for i in range(len(toks) - 3):
            out.add(" ".join(toks[i:i + 4]))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--item1a", action="append", default=[])
    ap.add_argument("--share", type=float, default=0.30)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    per_company = collections.defaultdict(set)
    with open(a.corpus, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            per_company["corpus:" + d["company"]] |= grams(d.get("heading", "") + ".\n" + d.get("body", ""))
    for root in a.item1a:
        for comp in sorted(os.listdir(root)):
            for p in sorted(glob.glob(os.path.join(root, comp, "*_item1a.txt"))):
                with open(p, encoding="utf-8", errors="replace") as f:
                    per_company["item1a:" + comp] |= grams(f.read())
    df = collections.Counter()
    for g in per_company.values():
        df.update(g)
    n = len(per_company)
    need = max(2, -(-int(a.share * n * 1000) // 1000))
    keep = sorted(g for g, c in df.items() if c >= need)
    with open(a.out, "w", encoding="ascii", errors="replace") as f:
        f.write("# rfx boilerplate 4-grams: used in the risk-factor sections of at least\n")
        f.write(f"# {need} of {n} companies ({a.share:.0%}). Built by tools/classify_boilerplate.py;\n")
        f.write("# see docs/metrics.md. Tokens lower-cased, numbers as '#'.\n")
        for g in keep:
            if g.isascii():
                f.write(g + "\n")
    print(f"{n} companies, {len(df)} distinct 4-grams, kept {len(keep)} (>= {need} companies)", file=sys.stderr)


if __name__ == "__main__":
    main()
