#!/usr/bin/env python3
"""Rebuild the rfx risk-factor corpus from the shared filings and join it with labels.

The repository never stores filing text.  This script re-derives every risk factor
(heading + body) deterministically from the read-only shared data, gives each one a
stable id, and optionally joins the corpus with data/labels/labels.jsonl.

Usage:
  # corpus only (what the annotator reads; no labels)
  python3 tools/build_label_corpus.py --shared ../shared/data/filings --corpus-out /tmp/corpus.jsonl

  # labelled training/test file
  python3 tools/build_label_corpus.py --shared ../shared/data/filings \
      --labels data/labels/labels.jsonl --out build/labelled.jsonl

  # check that every label joins and its heading hash still matches
  python3 tools/build_label_corpus.py --labels data/labels/labels.jsonl --check

Sources (see data/labels/README.md):
  isb    isb_capstone_item1a/<T>/*_{headers,contents}.txt   (pre-segmented 10-K Item 1A)
  ec     edgar_crawler_expected/*.json, key item_1A          (10-K Item 1A, one line per paragraph)
  seed   ../seed/000_f79ab47b85062882.txt                     (IIJ 20-F Item 3.D)
  20f    20-F_misc/*.html                                     (AEGON 2000, Loncor 2015, Plymouth Rock 2020)
  html   single10k/*.html, <TICKER>/*.html                    (segmented by `rfx parse --json --no-classify`;
                                                              needs the rfx binary: --rfx PATH, default build/rfx)

Standard library only.  Output is deterministic (sorted inputs, no randomness); the html source
is as deterministic as the rfx binary it runs (a segmenter change shows up as --check hash
mismatches on html/ ids).
"""
import argparse
import hashlib
import html
import html.parser
import json
import os
import re
import subprocess
import sys
from collections import Counter

# --------------------------------------------------------------------------------------
# selection of filings (at most 2 years per company, to keep the corpus diverse)
# --------------------------------------------------------------------------------------
ISB_YEARS_PER_COMPANY = 2  # the two most recent filings of each isb company

# edgar_crawler_expected: ticker -> list of fiscal years to use
EC_SELECTION = {
    "DIS": [2017, 2018],
    "NUAN": [2020, 2021],
    "TSN": [2020, 2022],
    "SNDK": [2011],
    "EL": [2012, 2013],
    "PSEM": [2007],
    "NTAP": [2021],
    "FDX": [2023],
    "WOR": [2023],
    "MGLD": [2022],
    "HRZB": [2009],
    "ASTC": [2010],
}

SEED_FILE = os.path.join("..", "seed", "000_f79ab47b85062882.txt")  # relative to filings dir
SEED_COMPANY, SEED_YEAR = "IIJ", 2013  # Internet Initiative Japan, 20-F for FY ended 31 March 2013

F20_FILES = {
    # file name -> (company id, fiscal year)
    "AEGON_20-F_FY2000.html": ("AEGON", 2000),
    "LONCOR_20-F_FY2015.html": ("LONCOR", 2015),
    "PLYMOUTH_20-F_FY2020.html": ("PLYMOUTH", 2020),
}

# HTML 10-K / 20-F filings segmented by rfx itself (`rfx parse FILE --json --no-classify`).
# single10k/<T>_<FORM>_<accession>.html: every file; <T>/<T>_<FORM>_FY<YYYY>.htm(l): the latest FY.
# One filing (the latest) per company.  Companies already in another source are skipped, and so
# are the aliases below (the same company under another ticker).
HTML_SINGLE_DIR = "single10k"
HTML_TICKER_DIRS = ("ABBV", "AMD", "AMZN", "BA", "HD", "IBM", "JNJ", "MA", "META", "NVDA", "PG",
                    "TSLA", "UNH", "WMT")
HTML_ALIASES = {"META": "FB"}  # Meta Platforms = Facebook (isb/FB)
HTML_MIN_RISKS = 5  # a parse with fewer risks is treated as a failed parse
RFX_TIMEOUT = 300  # seconds per filing

# the 26 category ids of docs/taxonomy.md
CATEGORIES = (
    "macroeconomic", "competition", "customers", "strategy_growth", "acquisitions_investments",
    "impairment_accounting", "financing_liquidity", "financial_markets_investments",
    "shareholders_governance", "international", "regulation", "legal", "intellectual_property",
    "cybersecurity_privacy", "operations_disruption", "pandemic_public_health", "suppliers",
    "human_capital", "technology_change", "execution_projects", "costs_margins", "tax",
    "environment_climate", "product_quality_liability", "reputation_brand", "results_volatility",
)

MAX_BODY_CHARS = 6000  # bodies are truncated (consumers only need the gist)


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------
def clean(s):
    s = html.unescape(s)
    s = s.replace("\xa0", " ").replace("\u200b", "")
    s = re.sub(r"\s+", " ", s)
    return s.strip()


def norm_heading(h):
    """Normalised heading used for the short hash stored with each label."""
    h = clean(h).lower()
    h = re.sub(r"[^a-z0-9]+", " ", h)
    return h.strip()


def heading_hash(h):
    return hashlib.sha1(norm_heading(h).encode("utf-8")).hexdigest()[:8]


def nwords(s):
    return len(s.split())


BULLET_RE = re.compile(r"^\s*(?:[-•·*\u2022\u25cf\u25aa\u2013\u2014o§]|\(?[a-z0-9]{1,3}\))\s*")
PAGE_RE = re.compile(r"^\s*(?:-\s*)?\d{1,3}(?:\s*-)?\s*$|^\s*table of contents\s*$", re.I)


def is_bullet(line):
    return bool(re.match(r"^\s*[-•·*\u2022\u25cf\u25aa\u2013\u2014§]", line))


def n_sentences(s):
    return len(re.findall(r"[.!?][\"'”’)]?\s+(?=[A-Z“\"])", s)) + 1


def mk(rid, company, form, year, heading, body, source):
    body = clean(body)
    if len(body) > MAX_BODY_CHARS:
        body = body[:MAX_BODY_CHARS].rsplit(" ", 1)[0] + " …"
    heading = clean(heading).rstrip()
    return {
        "id": rid,
        "company": company,
        "form": form,
        "year": year,
        "heading": heading,
        "body": body,
        "source": source,
    }


# --------------------------------------------------------------------------------------
# isb_capstone_item1a
# --------------------------------------------------------------------------------------
def parse_numbered(path, tag):
    """Parse a HEADER_n:/CONTENT_n: file into {n: text}."""
    out = {}
    cur = None
    buf = []
    rx = re.compile(r"^%s_(\d+):\s*$" % tag)
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = rx.match(line.rstrip("\r\n"))
            if m:
                if cur is not None:
                    out[cur] = "\n".join(buf)
                cur = int(m.group(1))
                buf = []
            elif cur is not None:
                buf.append(line.rstrip("\r\n"))
    if cur is not None:
        out[cur] = "\n".join(buf)
    return out


def corpus_isb(root):
    base = os.path.join(root, "isb_capstone_item1a")
    if not os.path.isdir(base):
        return []
    res = []
    for t in sorted(os.listdir(base)):
        d = os.path.join(base, t)
        if not os.path.isdir(d):
            continue
        dates = sorted(
            m.group(1)
            for m in (re.match(r".*_filed(\d{4}-\d{2}-\d{2})_headers\.txt$", f) for f in os.listdir(d))
            if m
        )
        for date in dates[-ISB_YEARS_PER_COMPANY:]:
            hp = os.path.join(d, "%s_10-K_filed%s_headers.txt" % (t, date))
            cp = os.path.join(d, "%s_10-K_filed%s_contents.txt" % (t, date))
            if not os.path.exists(cp):
                continue
            hs = parse_numbered(hp, "HEADER")
            cs = parse_numbered(cp, "CONTENT")
            for n in sorted(hs):
                if n <= 2:  # item title and preamble
                    continue
                h = clean(hs[n])
                b = clean(cs.get(n, ""))
                b = b.lstrip(".:;, ")
                if nwords(h) < 3 or nwords(b) < 15:
                    continue  # sub-section headers ("Risks Related to ...") have no body
                fy = int(date[:4]) - 1  # fiscal year ~ year before the filing date
                res.append(mk("isb/%s/%s#%d" % (t, date, n), t, "10-K", fy, h, b, "isb_capstone_item1a"))
    return res


# --------------------------------------------------------------------------------------
# generic "one paragraph per line" segmenter (edgar-crawler item_1A, seed, 20-F text)
# --------------------------------------------------------------------------------------
def is_heading_line(line, nxt, prev, max_words=60):
    w = nwords(line)
    if w < 4 or w >= max_words:
        return False
    s = line.strip()
    if s.endswith(":") or is_bullet(s) or PAGE_RE.match(s):
        return False
    if not (s[0].isupper() or s[0].isdigit() or s[0] in "\"“'"):
        return False
    if re.match(r"^(item\s+\d|part\s+[iv]+\b)", s, re.I):
        return False
    if n_sentences(s) > 2:
        return False
    if prev is not None and prev.rstrip().endswith(":"):
        return False  # an item of a list introduced by the previous paragraph
    if nxt is None or is_bullet(nxt):
        return False
    nw = nwords(nxt)
    return nw >= 25 and nw > w


def segment_lines(lines, max_words=60):
    """lines: list of paragraph strings.  Returns [(index, heading, body)]."""
    lines = [clean(l) for l in lines]
    lines = [l for l in lines if l and not PAGE_RE.match(l)]
    heads = []
    for i, l in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        prev = lines[i - 1] if i > 0 else None
        if is_heading_line(l, nxt, prev, max_words):
            heads.append(i)
    out = []
    for k, i in enumerate(heads):
        j = heads[k + 1] if k + 1 < len(heads) else len(lines)
        body = " ".join(lines[i + 1:j])
        out.append((k + 1, lines[i], body))
    return out


def ec_parse_name(fn):
    m = re.match(r"^([A-Za-z0-9]+)_10-K_FY(\d{4})_", fn)
    return (m.group(1), int(m.group(2))) if m else (None, None)


def corpus_ec(root):
    base = os.path.join(root, "edgar_crawler_expected")
    if not os.path.isdir(base):
        return []
    res = []
    for fn in sorted(os.listdir(base)):
        if not fn.endswith(".json"):
            continue
        t, fy = ec_parse_name(fn)
        if t not in EC_SELECTION or fy not in EC_SELECTION[t]:
            continue
        with open(os.path.join(base, fn), encoding="utf-8") as f:
            d = json.load(f)
        text = d.get("item_1A") or ""
        segs = segment_lines(text.split("\n"), max_words=60)
        for n, h, b in segs:
            if nwords(b) < 25:
                continue
            res.append(mk("ec/%s/%d#%d" % (t, fy, n), t, "10-K", fy, h, b, "edgar_crawler_expected"))
    return res


# --------------------------------------------------------------------------------------
# IIJ 20-F seed (plain text, blank-line separated paragraphs)
# --------------------------------------------------------------------------------------
def corpus_seed(root):
    p = os.path.normpath(os.path.join(root, SEED_FILE))
    if not os.path.exists(p):
        return []
    with open(p, encoding="utf-8", errors="replace") as f:
        text = f.read()
    paras = [clean(x) for x in re.split(r"\n\s*\n", text)]
    paras = [x for x in paras if x]
    heads = []
    for i, s in enumerate(paras):
        if i == 0:
            continue  # "D. Risk Factor"
        w = nwords(s)
        if w < 6 or w >= 60 or s.endswith(":") or is_bullet(s):
            continue
        if n_sentences(s) > 1:
            continue
        if not s[0].isupper():
            continue
        if re.match(r"^(please see|as a result|any problems|in addition|however|accordingly|therefore|with these)", s, re.I):
            continue
        if heads and heads[-1] == i - 1:
            continue  # two one-sentence paragraphs in a row: the 2nd is body text
        if i + 1 >= len(paras):
            continue
        heads.append(i)
    res = []
    for k, i in enumerate(heads):
        j = heads[k + 1] if k + 1 < len(heads) else len(paras)
        body = " ".join(paras[i + 1:j])
        res.append(mk("seed/%s/%d#%d" % (SEED_COMPANY, SEED_YEAR, k + 1), SEED_COMPANY, "20-F",
                      SEED_YEAR, paras[i], body, "seed"))
    return res


# --------------------------------------------------------------------------------------
# 20-F HTML: block text with the share of bold/italic characters
# --------------------------------------------------------------------------------------
class BlockParser(html.parser.HTMLParser):
    BLOCK = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "td", "th",
             "center", "pre", "hr"}
    VOID = {"br", "img", "hr", "meta", "input", "link", "col", "area", "base", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []  # [text, emph_chars, total_chars]
        self.cur = ["", 0, 0]
        self.stack = []  # (tag, emph)

    def _emph(self):
        return any(e for _, e in self.stack)

    def _flush(self):
        if self.cur[0].strip():
            self.blocks.append(self.cur)
        self.cur = ["", 0, 0]

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCK:
            self._flush()
        if tag in self.VOID:
            return
        a = dict(attrs)
        st = (a.get("style") or "").lower().replace(" ", "")
        emph = tag in ("b", "strong", "i", "em", "u") or "font-weight:bold" in st or \
            "font-weight:700" in st or "font-style:italic" in st or "text-decoration:underline" in st
        self.stack.append((tag, emph))

    def handle_endtag(self, tag):
        if tag in self.BLOCK:
            self._flush()
        for k in range(len(self.stack) - 1, -1, -1):
            if self.stack[k][0] == tag:
                del self.stack[k:]
                break

    def handle_data(self, data):
        self.cur[0] += data
        n = len(re.sub(r"\s", "", data))
        self.cur[2] += n
        if self._emph():
            self.cur[1] += n


def html_blocks(path):
    p = BlockParser()
    with open(path, encoding="utf-8", errors="replace") as f:
        p.feed(f.read())
    p._flush()
    # merge consecutive emphasised blocks (headings wrapped over several <p>/<br>)
    out = []
    for text, e, tot in p.blocks:
        text = clean(text)
        if not text or PAGE_RE.match(text):
            continue
        emph = tot > 0 and e / tot >= 0.9
        out.append([text, emph])
    return out


def merge_emph(blocks):
    merged = []
    for text, emph in blocks:
        if merged and emph and merged[-1][1] and nwords(merged[-1][0]) < 60 and \
                not re.search(r"[.!?]$", merged[-1][0]) and \
                not re.match(r"^Risks? (Related|Relating|Associated|Factors)\b", merged[-1][0]):
            merged[-1][0] += " " + text
        else:
            merged.append([text, emph])
    return merged


def section(blocks, start_rx, end_rx):
    """Longest run of blocks between a start heading and the next end heading
    (the table of contents also contains the start heading, with a short span)."""
    best = []
    for s, (t, _) in enumerate(blocks):
        if not (re.search(start_rx, t, re.I) and nwords(t) <= 6):
            continue
        e = len(blocks)
        for i in range(s + 1, len(blocks)):
            if re.search(end_rx, blocks[i][0], re.I) and nwords(blocks[i][0]) <= 12:
                e = i
                break
        if e - (s + 1) > len(best):
            best = blocks[s + 1:e]
    return best


def segment_emph(blocks):
    heads = []
    for i, (t, emph) in enumerate(blocks):
        if not emph or nwords(t) >= 70 or t.startswith(("\"", "“")):
            continue
        if i + 1 >= len(blocks) or blocks[i + 1][1]:
            continue  # a (sub-)section title directly followed by another heading
        heads.append(i)
    out = []
    for k, i in enumerate(heads):
        j = heads[k + 1] if k + 1 < len(heads) else len(blocks)
        body = " ".join(t for t, _ in blocks[i + 1:j])
        out.append((k + 1, blocks[i][0], body))
    return out


def corpus_20f_html(root):
    base = os.path.join(root, "20-F_misc")
    res = []
    for fn in sorted(F20_FILES):
        p = os.path.join(base, fn)
        if not os.path.exists(p):
            continue
        comp, fy = F20_FILES[fn]
        if comp == "AEGON":
            # early EDGAR HTML: plain text with hard-wrapped lines, blank line between paragraphs
            with open(p, encoding="utf-8", errors="replace") as f:
                raw = f.read()
            raw = re.sub(r"<[^>]+>", "", raw)
            m1 = re.search(r"The risk factors are described in more detail below\.", raw)
            m2 = re.search(r"\n\s*Item 4\.?\s+Information on the Company", raw[m1.end():] if m1 else "", re.I)
            if not m1 or not m2:
                continue
            text = raw[m1.end():m1.end() + m2.start()]
            paras = [clean(x) for x in re.split(r"\n\s*\n", text)]
            paras = [x for x in paras if x and not PAGE_RE.match(x) and not re.match(r"^-\s*\d+\s*-$", x)]
            segs = []
            heads = [i for i, x in enumerate(paras)
                     if nwords(x) < 30 and not re.search(r"[.:;]$", x) and x[:1].isupper()
                     and i + 1 < len(paras) and nwords(paras[i + 1]) >= 20]
            for k, i in enumerate(heads):
                j = heads[k + 1] if k + 1 < len(heads) else len(paras)
                segs.append((k + 1, paras[i], " ".join(paras[i + 1:j])))
        else:
            blocks = merge_emph(html_blocks(p))
            sec = section(blocks, r"^(D\.\s*)?Risk Factors$", r"^(ITEM\s*4\b|Information on the Company)")
            segs = segment_emph(sec)
        for n, h, b in segs:
            if nwords(b) < 20 or nwords(h) < 1:
                continue
            res.append(mk("20f/%s/%d#%d" % (comp, fy, n), comp, "20-F", fy, h, b, "20-F_misc"))
    return res


# --------------------------------------------------------------------------------------
# HTML 10-K / 20-F segmented by rfx
# --------------------------------------------------------------------------------------
def html_fiscal_year(period, name_fy):
    """Fiscal year: the FY in the file name if any, else the year of the period end; a
    52/53-week year that ends in January or the first week of February counts as the
    previous year (retail convention: Lowe's FY2023 ends 2 Feb 2024)."""
    if name_fy:
        return name_fy
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", period or "")
    if not m:
        return None
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    return y - 1 if mo == 1 or (mo == 2 and d <= 7) else y


def html_files(root):
    """[(company, form, name_fy, path)], one filing per company, sorted by company."""
    pick = {}
    d = os.path.join(root, HTML_SINGLE_DIR)
    if os.path.isdir(d):
        for fn in sorted(os.listdir(d)):
            m = re.match(r"^([A-Z0-9.]+)_(10-K|20-F)_([0-9-]+)\.html?$", fn)
            if m:
                # several filings of one company: the latest accession number wins
                key = (m.group(3).split("-")[1] if "-" in m.group(3) else "", m.group(3))
                cur = pick.get(m.group(1))
                if cur is None or key > cur[0]:
                    pick[m.group(1)] = (key, m.group(2), None, os.path.join(d, fn))
    for t in HTML_TICKER_DIRS:
        d = os.path.join(root, t)
        if not os.path.isdir(d):
            continue
        best = None
        for fn in sorted(os.listdir(d)):
            m = re.match(r"^%s_(10-K|20-F)_FY(\d{4})\.html?$" % re.escape(t), fn)
            if m and (best is None or (int(m.group(2)), fn.endswith(".html")) > best[0]):
                best = ((int(m.group(2)), fn.endswith(".html")), m.group(1), int(m.group(2)), os.path.join(d, fn))
        if best and t not in pick:
            pick[t] = best
    return [(c, v[1], v[2], v[3]) for c, v in sorted(pick.items())]


def resolve_rfx(path):
    if os.path.isabs(path) or os.path.exists(path):
        return path
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    alt = os.path.join(repo, path)
    return alt if os.path.exists(alt) else path


def corpus_html(root, rfx, skip, log):
    res = []
    files = html_files(root)
    if not files:
        return res
    rfx = resolve_rfx(rfx)
    if not (os.path.isfile(rfx) and os.access(rfx, os.X_OK)):
        log("WARNING: rfx binary %s not found: html source skipped (use --rfx PATH)" % rfx)
        return res
    for comp, form, name_fy, path in files:
        if comp in skip or HTML_ALIASES.get(comp) in skip:
            continue
        try:
            p = subprocess.run([rfx, "parse", path, "--json", "--no-classify"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=RFX_TIMEOUT)
            d = json.loads(p.stdout.decode("utf-8")) if p.returncode == 0 else None
        except (OSError, subprocess.TimeoutExpired, ValueError):
            d = None
        risks = (d or {}).get("risks") or []
        if len(risks) < HTML_MIN_RISKS:
            log("html: skipped %s (%s): %s" % (comp, os.path.basename(path),
                                               "parse failed" if d is None else "%d risks" % len(risks)))
            continue
        filing = d.get("filing") or {}
        form = filing.get("form") or form
        fy = html_fiscal_year(filing.get("period"), name_fy)
        if fy is None:
            log("html: skipped %s (%s): no fiscal year" % (comp, os.path.basename(path)))
            continue
        for r in risks:
            h, b = r.get("heading") or "", r.get("body") or ""
            if nwords(clean(h)) < 1 or nwords(clean(b)) < 15:
                continue
            res.append(mk("html/%s/%d#%d" % (comp, fy, r["index"]), comp, form, fy, h, b, "html"))
    return res


# --------------------------------------------------------------------------------------
def build_corpus(root, rfx="build/rfx", log=lambda *x: None):
    corpus = corpus_isb(root) + corpus_ec(root) + corpus_seed(root) + corpus_20f_html(root)
    corpus += corpus_html(root, rfx, {r["company"] for r in corpus}, log)
    seen = set()
    out = []
    for r in corpus:
        if r["id"] in seen:
            raise SystemExit("duplicate id %s" % r["id"])
        seen.add(r["id"])
        out.append(r)
    return out


def read_labels(path):
    labels = []
    with open(path, encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            labels.append(json.loads(line))
    return labels


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=os.path.join(repo, "..", "shared", "data", "filings"),
                    help="shared filings dir (default ../shared/data/filings relative to repo root)")
    ap.add_argument("--labels", help="labels.jsonl (id, labels, split, h)")
    ap.add_argument("--out", help="write joined labelled JSONL here")
    ap.add_argument("--corpus-out", help="write the unlabelled corpus JSONL here")
    ap.add_argument("--check", action="store_true", help="verify labels join and heading hashes match")
    ap.add_argument("--rfx", default=os.path.join("build", "rfx"),
                    help="rfx binary that segments the html source (default build/rfx; a relative "
                         "path not found from the current directory is tried from the repo root)")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)

    log = (lambda *x: None) if a.quiet else (lambda *x: print(*x, file=sys.stderr))
    corpus = build_corpus(a.shared, a.rfx, log)
    if not corpus:
        raise SystemExit("no risks found under %s" % a.shared)
    byid = {r["id"]: r for r in corpus}
    comp = Counter(r["company"] for r in corpus)
    log("corpus: %d risks, %d companies" % (len(corpus), len(comp)))

    if a.corpus_out:
        os.makedirs(os.path.dirname(os.path.abspath(a.corpus_out)), exist_ok=True)
        with open(a.corpus_out, "w", encoding="utf-8") as f:
            for r in corpus:
                o = {k: r[k] for k in ("id", "company", "form", "year", "heading", "body")}
                o["h"] = heading_hash(r["heading"])
                f.write(json.dumps(o, ensure_ascii=False) + "\n")
        log("wrote %s" % a.corpus_out)

    if a.labels:
        labels = read_labels(a.labels)
        missing, mism, rows = [], [], []
        for lab in labels:
            r = byid.get(lab["id"])
            if r is None:
                missing.append(lab["id"])
                continue
            if lab.get("h") and lab["h"] != heading_hash(r["heading"]):
                mism.append(lab["id"])
                continue
            rows.append({"id": r["id"], "company": r["company"], "form": r["form"], "year": r["year"],
                         "heading": r["heading"], "body": r["body"], "labels": lab["labels"],
                         "split": lab["split"]})
        bad = [lab["id"] for lab in labels
               if not lab.get("labels") or len(lab["labels"]) > 4 or len(set(lab["labels"])) != len(lab["labels"])
               or any(c not in CATEGORIES for c in lab["labels"]) or lab.get("split") not in ("train", "test")]
        if bad:
            log("WARNING: %d labels with unknown category / bad split / bad arity, e.g. %s" % (len(bad), bad[:5]))
        csplit = {}
        for r in rows:
            csplit.setdefault(r["company"], set()).add(r["split"])
        leak = sorted(c for c, v in csplit.items() if len(v) > 1)
        if leak:
            log("WARNING: companies in both splits: %s" % leak)
        if missing:
            log("WARNING: %d labelled ids not in corpus, e.g. %s" % (len(missing), missing[:5]))
        if mism:
            log("WARNING: %d heading-hash mismatches, e.g. %s" % (len(mism), mism[:5]))
        split = Counter(r["split"] for r in rows)
        prim = Counter(r["labels"][0] for r in rows)
        anyl = Counter(l for r in rows for l in r["labels"])
        log("joined: %d labelled risks (%s), %d companies" % (
            len(rows), ", ".join("%s=%d" % kv for kv in sorted(split.items())),
            len({r["company"] for r in rows})))
        log("%-28s %7s %7s %7s %7s" % ("category", "primary", "any", "train", "test"))
        tr = Counter(l for r in rows if r["split"] == "train" for l in r["labels"])
        te = Counter(l for r in rows if r["split"] == "test" for l in r["labels"])
        for c in sorted(anyl):
            log("%-28s %7d %7d %7d %7d" % (c, prim[c], anyl[c], tr[c], te[c]))
        if a.out:
            os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
            with open(a.out, "w", encoding="utf-8") as f:
                for r in rows:
                    f.write(json.dumps(r, ensure_ascii=False) + "\n")
            log("wrote %s" % a.out)
        if a.check and (missing or mism or bad or leak):
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
