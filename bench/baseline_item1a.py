#!/usr/bin/python3
"""baseline_item1a.py -- the usual Python Item 1A extractor, as a baseline.

What most scripts that pull "Item 1A. Risk Factors" out of EDGAR 10-K HTML do
(edgar-crawler, tutorials, Q&A answers): BeautifulSoup(html, "lxml").get_text(),
collapse whitespace, then a regex from "Item 1A ... Risk Factors" to the next
"Item 1B" or "Item 2". The table of contents matches first, so they keep the
longest match. Nothing is segmented, classified or extracted: rfx does far
more per byte, which makes the throughput ratio conservative.

    baseline_item1a.py FILE...      (prints one line per file, a summary on stderr)

Debian packages: python3-bs4, python3-lxml.
"""
import re
import sys
import time
import warnings

from bs4 import BeautifulSoup

warnings.filterwarnings("ignore")  # iXBRL trips bs4's "XML parsed as HTML" notice

START = re.compile(r"item\s*1a\s*[.:\-\u2013\u2014]?\s*risk\s+factors", re.I)
END = re.compile(r"item\s*1b\s*[.:\-\u2013\u2014]?\s*unresolved|item\s*2\s*[.:\-\u2013\u2014]?\s*properties", re.I)


def item1a(html):
    text = BeautifulSoup(html, "lxml").get_text(" ")
    text = re.sub(r"[\s\xa0]+", " ", text)
    best = ""
    for m in START.finditer(text):
        e = END.search(text, m.end())
        seg = text[m.start():e.start() if e else len(text)]
        if len(seg) > len(best):
            best = seg
    return best


def main(paths):
    t0 = time.perf_counter()
    total = 0
    found = 0
    for p in paths:
        with open(p, "rb") as f:
            raw = f.read()
        total += len(raw)
        sec = item1a(raw)
        found += bool(sec)
        print(f"{p}\t{len(sec)}")
    el = time.perf_counter() - t0
    print(f"baseline: {len(paths)} files, {found} with Item 1A, {total / 1e6:.1f} MB in {el:.2f} s "
          f"({total / 1e6 / el:.2f} MB/s, {len(paths) / el:.2f} files/s)", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
