#!/usr/bin/env python3
"""fake_edgar.py - a loopback stand-in for SEC EDGAR, for the rfx fetch tests.

  fake_edgar.py build ROOT [--shared DIR] [--examples DIR]
      writes an EDGAR-shaped tree under ROOT (files/, submissions/,
      Archives/edgar/...) from the shared filings that exist plus small
      documents of its own, and ROOT/expect.tsv: one line per document served
      (cik, accession, form, filing date, URL path, size).
  fake_edgar.py serve ROOT --port-file F --log F [--faults F] [--lifetime S]
      serves ROOT on 127.0.0.1 at an ephemeral port (written to F) until
      --lifetime seconds have passed or --max-requests were answered.
      Every request is logged: time, path, User-Agent, status, Accept-Encoding.
      --faults is a JSON object {path: {"kind": K, "times": N, ...}}: the
      first N requests of that path misbehave (K: 429 with "retry_after",
      503, 403, 404, reset = connection reset mid-body, short = body shorter
      than its Content-Length, slow = a body that stalls for "stall" seconds,
      redirect = 302 to "to", malformed = broken JSON instead of the file).
      A query "?fault=K" on any path misbehaves the same way, every time.
Python 3 standard library only.
"""
import argparse, gzip, json, os, re, socket, struct, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, parse_qs

UA_OK = re.compile(r"\S@\S+\.\S")


def sgml(acc, form, period, filed, name, cik, fname, body):
    per = "CONFORMED PERIOD OF REPORT:\t%s\n" % period if period else ""
    return ("<SEC-DOCUMENT>%s.txt : %s\n<SEC-HEADER>%s.hdr.sgml : %s\n"
            "ACCESSION NUMBER:\t\t%s\nCONFORMED SUBMISSION TYPE:\t%s\nPUBLIC DOCUMENT COUNT:\t\t1\n"
            "%sFILED AS OF DATE:\t\t%s\n\nFILER:\n\n\tCOMPANY DATA:\t\n"
            "\t\tCOMPANY CONFORMED NAME:\t\t\t%s\n\t\tCENTRAL INDEX KEY:\t\t\t%010d\n"
            "</SEC-HEADER>\n<DOCUMENT>\n<TYPE>%s\n<SEQUENCE>1\n<FILENAME>%s\n<TEXT>\n%s\n</TEXT>\n"
            "</DOCUMENT>\n</SEC-DOCUMENT>\n") % (acc, filed, acc, filed, acc, form, per, filed, name,
                                                  int(cik), form, fname, body)


def risk_doc(title, n):
    """a small annual report with an Item 1A of n risk factors"""
    out = ["<html><body><p><b>%s</b></p><p><b>Item 1A. Risk Factors</b></p>" % title]
    for i in range(n):
        out.append("<p><b>Risk %d: Our suppliers may fail to deliver component batch %d on time.</b></p>"
                   "<p>If a supplier fails, our revenue of $%d.5 million could decline by %d%% "
                   "in fiscal 2024, and we may not find another supplier.</p>" % (i + 1, i, i + 3, i + 2))
    out.append("<p><b>Item 1B. Unresolved Staff Comments</b></p><p>None.</p></body></html>\n")
    return "".join(out)


def header_fields(path):
    with open(path, "rb") as f:
        head = f.read(8192).decode("latin-1")
    g = lambda k: (re.search(k + r":\s*(\S[^\n]*)", head) or [None, None])[1]
    acc, form, filed = g("ACCESSION NUMBER"), g("CONFORMED SUBMISSION TYPE"), g("FILED AS OF DATE")
    cik, name, period = g("CENTRAL INDEX KEY"), g("COMPANY CONFORMED NAME"), g("CONFORMED PERIOD OF REPORT")
    if not (acc and form and filed and cik):
        return None
    d = lambda s: "%s-%s-%s" % (s[0:4], s[4:6], s[6:8]) if s else ""
    return dict(acc=acc.strip(), form=form.strip(), filed=d(filed.strip()), cik=str(int(cik)),
                name=(name or "").strip(), period=d((period or "").strip()))


class Tree:
    def __init__(self, root):
        self.root, self.expect, self.subs = root, [], {}

    def put(self, rel, data):
        p = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())
        return len(data if isinstance(data, bytes) else data.encode())

    def filing(self, cik, acc, form, filed, period, doc_name, doc, name, page=0, full=None):
        """one filing folder: the primary document (if any) and the full .txt"""
        folder = "Archives/edgar/data/%s/%s" % (cik, acc.replace("-", ""))
        if full is None:
            full = sgml(acc, form, period.replace("-", ""), filed.replace("-", ""), name, cik,
                        doc_name or "doc.txt", doc if isinstance(doc, str) else doc.decode("latin-1"))
        n = self.put("%s/%s.txt" % (folder, acc), full)
        if doc_name:
            n2 = self.put("%s/%s" % (folder, doc_name), doc)
            self.expect.append((cik, acc, form, filed, "/%s/%s" % (folder, doc_name), n2))
        else:
            self.expect.append((cik, acc, form, filed, "/%s/%s.txt" % (folder, acc), n))
        s = self.subs.setdefault(cik, {"name": name, "pages": [[], []]})
        s["pages"][page].append(dict(accessionNumber=acc, filingDate=filed, reportDate=period,
                                     form=form, primaryDocument=doc_name or "", size=n))

    def write_submissions(self):
        cols = ["accessionNumber", "filingDate", "reportDate", "form", "primaryDocument", "size"]
        for cik, s in self.subs.items():
            col = lambda rows: {c: [r[c] for r in rows] for c in cols}
            files = []
            if s["pages"][1]:
                pname = "CIK%010d-submissions-001.json" % int(cik)
                self.put("submissions/" + pname, json.dumps(col(s["pages"][1])))
                dates = sorted(r["filingDate"] for r in s["pages"][1])
                files.append(dict(name=pname, filingCount=len(dates), filingFrom=dates[0], filingTo=dates[-1]))
            doc = dict(cik=cik, entityType="operating", name=s["name"], tickers=[],
                       filings=dict(recent=col(s["pages"][0]), files=files))
            self.put("submissions/CIK%010d.json" % int(cik), json.dumps(doc))


def build(a):
    t = Tree(a.root)
    os.makedirs(a.root, exist_ok=True)
    tickers = {}
    def ticker(cik, tk, title):
        tickers[str(len(tickers))] = dict(cik_str=int(cik), ticker=tk, title=title)
    # Northwind (our own documents): 20-F, 10-K, 10-K/A, 8-K, and an old 10-K on the older page
    nw = "1000001"
    ticker(nw, "NWND", "Northwind Holdings")
    ex = os.path.join(a.examples or "", "northwind-20f-2024.txt")
    body20f = open(ex, "rb").read() if a.examples and os.path.exists(ex) else risk_doc("Northwind 20-F", 6).encode()
    t.filing(nw, "0001000001-24-000010", "20-F", "2024-04-15", "2023-12-31", "northwind-20f.txt", body20f, "Northwind Holdings")
    t.filing(nw, "0001000001-24-000003", "10-K/A", "2024-05-01", "2023-12-31", "nwnd-10ka.htm", risk_doc("Northwind 10-K/A", 3), "Northwind Holdings")
    t.filing(nw, "0001000001-24-000004", "8-K", "2024-06-01", "", "nwnd-8k.htm", "<html><body>8-K</body></html>\n", "Northwind Holdings")
    t.filing(nw, "0001000001-24-000001", "10-K", "2024-03-01", "2023-12-31", "nwnd-20231231.htm", risk_doc("Northwind 10-K 2023", 5), "Northwind Holdings")
    t.filing(nw, "0001000001-23-000001", "10-K", "2023-03-01", "2022-12-31", "nwnd-20221231.htm", risk_doc("Northwind 10-K 2022", 4), "Northwind Holdings")
    t.filing(nw, "0001000001-05-000007", "10-K", "2005-03-01", "2004-12-31", "", risk_doc("Northwind 10-K 2004", 2), "Northwind Holdings", page=1)
    t.filing(nw, "0001000001-99-000002", "10-K", "1999-03-01", "1998-12-31", "", risk_doc("Northwind 10-K 1998", 2), "Northwind Holdings", page=1)
    # a company whose submissions JSON is malformed
    ticker("1000002", "BADJ", "Broken Json Corp")
    # a company whose documents misbehave (faults.json below names them)
    fl = "1000003"
    ticker(fl, "FLTY", "Faulty Servers Inc")
    big = ("".join("Line %06d of a long filing body that is long enough to be cut in the middle.\n" % i
                   for i in range(4000)))
    names = ["429", "503", "reset", "short", "slow", "redirect", "gone404", "always503", "forbidden"]
    for i, k in enumerate(names):
        acc = "0001000003-24-%06d" % (i + 1)
        t.filing(fl, acc, "10-K", "2024-02-%02d" % (i + 1), "2023-12-31", "f-%s.htm" % k,
                 "<html><body><pre>%s %s</pre></body></html>\n" % (k, big), "Faulty Servers Inc")
    # real filings from ../shared, where present
    sh = a.shared
    hd = [("HD/HD_10-K_FY2023.html", "0000354950-24-000011", "2024-03-13", "2024-01-28"),
          ("HD/HD_10-K_FY2024.html", "0000354950-25-000010", "2025-03-21", "2025-02-02")]
    if sh and all(os.path.exists(os.path.join(sh, p)) for p, *_ in hd):
        ticker("354950", "HD", "HOME DEPOT, INC.")
        for p, acc, filed, per in hd:
            t.filing("354950", acc, "10-K", filed, per, "hd-%s.htm" % per.replace("-", ""),
                     open(os.path.join(sh, p), "rb").read(), "HOME DEPOT, INC.")
    aapl = ["AAPL/AAPL_10-K_FY%d_full-submission.txt" % y for y in (2005, 2006, 2007, 2018, 2019)]
    if sh and all(os.path.exists(os.path.join(sh, p)) for p in aapl):
        ticker("320193", "AAPL", "Apple Inc.")
        for p in aapl:
            raw = open(os.path.join(sh, p), "rb").read()
            h = header_fields(os.path.join(sh, p))
            if not h:
                continue
            t.filing("320193", h["acc"], h["form"], h["filed"], h["period"], "", raw, "Apple Inc.",
                     page=1 if h["filed"] < "2010" else 0, full=raw)
    # --many N: a company (CIK 1000009, ticker MANY) with N small 10-Ks, for bench/fetch
    for i in range(a.many):
        acc = "0001000009-%02d-%06d" % (i % 30, i + 1)
        t.filing("1000009", acc, "10-K", "%04d-03-01" % (1995 + i % 30), "%04d-12-31" % (1994 + i % 30),
                 "many-%d.htm" % i, risk_doc("Many Filings Corp %d" % i, 4), "Many Filings Corp")
    if a.many:
        ticker("1000009", "MANY", "Many Filings Corp")
    t.write_submissions()
    t.put("submissions/CIK0001000002.json", '{"cik": "1000002", "name": "Broken Json Corp", "filings": {"recent": {"accessionNumber": ["0001000002-24-0')
    t.put("files/company_tickers.json", json.dumps(tickers))
    # 2024Q1 form.idx: our own full submissions, plus rows the filter or the reader must drop
    rows = []
    for i, (co, nm) in enumerate([("2000001", "ACME WIDGETS INC"), ("2000002", "BETA BANCORP /MD/"),
                                  ("2000003", "GAMMA  DOUBLE SPACE CO")]):
        acc = "%010d-24-%06d" % (int(co), i + 1)
        filed = "2024-0%d-15" % (i + 1)
        full = sgml(acc, "10-K", "20231231", filed.replace("-", ""), nm, co, "doc.htm", risk_doc(nm, 3))
        t.put("Archives/edgar/data/%s/%s/%s.txt" % (co, acc.replace("-", ""), acc), full)
        t.expect.append((co, acc, "10-K", filed, "/Archives/edgar/data/%s/%s/%s.txt" % (co, acc.replace("-", ""), acc), len(full.encode())))
        rows.append(("10-K", nm, co, filed, "edgar/data/%s/%s.txt" % (co, acc)))
    rows.append(rows[0])  # a duplicate row: fetched once
    rows.append(("10-K/A", "ACME WIDGETS INC", "2000001", "2024-03-20", "edgar/data/2000001/0002000001-24-000009.txt"))
    rows.append(("8-K", "ACME WIDGETS INC", "2000001", "2024-02-02", "edgar/data/2000001/0002000001-24-000008.txt"))
    rows.append(("SC 13G/A", "BETA BANCORP /MD/", "2000002", "2024-02-14", "edgar/data/2000002/0002000002-24-000005.txt"))
    def idx(rows, form_first):
        head = ("Description:           Master Index of EDGAR Dissemination Feed by Form Type\n"
                "Last Data Received:    March 31, 2024\nComments:              webmaster@sec.gov\n"
                "Anonymous FTP:         ftp://ftp.sec.gov/edgar/\n \n \n \n")
        if form_first:
            head += "%-12s%-62s%-12s%-12s%s\n" % ("Form Type", "Company Name", "CIK", "Date Filed", "File Name")
        else:
            head += "%-62s%-12s%-12s%-12s%s\n" % ("Company Name", "Form Type", "CIK", "Date Filed", "File Name")
        head += "-" * 141 + "\n"
        for f, nm, co, d, fn in rows:
            head += ("%-12s%-62s%-12s%-12s%s  \n" % (f, nm, co, d, fn) if form_first else
                     "%-62s%-12s%-12s%-12s%s  \n" % (nm, f, co, d, fn))
        head += "this row is garbage\n"
        return head
    t.put("Archives/edgar/full-index/2024/QTR1/form.idx", idx(rows, True))
    # 2024Q4: the shared forms/ full submissions, listed only in company.idx
    rows4 = []
    for fn in sorted(os.listdir(os.path.join(sh, "forms"))) if sh and os.path.isdir(os.path.join(sh, "forms")) else []:
        p = os.path.join(sh, "forms", fn)
        h = header_fields(p) if fn.endswith(".txt") else None
        if not h or not h["filed"].startswith("2024-1"):
            continue
        raw = open(p, "rb").read()
        t.put("Archives/edgar/data/%s/%s/%s.txt" % (h["cik"], h["acc"].replace("-", ""), h["acc"]), raw)
        rows4.append((h["form"], h["name"], h["cik"], h["filed"], "edgar/data/%s/%s.txt" % (h["cik"], h["acc"])))
        t.expect.append((h["cik"], h["acc"], h["form"], h["filed"], "/Archives/edgar/data/%s/%s/%s.txt" % (h["cik"], h["acc"].replace("-", ""), h["acc"]), len(raw)))
    if rows4:
        t.put("Archives/edgar/full-index/2024/QTR4/company.idx", idx(rows4, False))
    faults = {
        "/Archives/edgar/data/1000003/000100000324000001/f-429.htm": {"kind": "429", "times": 2, "retry_after": 1},
        "/Archives/edgar/data/1000003/000100000324000002/f-503.htm": {"kind": "503", "times": 1},
        "/Archives/edgar/data/1000003/000100000324000003/f-reset.htm": {"kind": "reset", "times": 1},
        "/Archives/edgar/data/1000003/000100000324000004/f-short.htm": {"kind": "short", "times": 2},
        "/Archives/edgar/data/1000003/000100000324000005/f-slow.htm": {"kind": "slow", "times": 1, "stall": 4},
        "/Archives/edgar/data/1000003/000100000324000006/f-redirect.htm": {"kind": "redirect", "times": 99, "to": "/Archives/edgar/data/1000003/000100000324000006/moved/f-redirect.htm"},
        "/Archives/edgar/data/1000003/000100000324000007/f-gone404.htm": {"kind": "404", "times": 99},
        "/Archives/edgar/data/1000003/000100000324000008/f-always503.htm": {"kind": "503", "times": 99},
        "/Archives/edgar/data/1000003/000100000324000009/f-forbidden.htm": {"kind": "403", "times": 99},
    }
    src = os.path.join(a.root, "Archives/edgar/data/1000003/000100000324000006/f-redirect.htm")
    t.put("Archives/edgar/data/1000003/000100000324000006/moved/f-redirect.htm", open(src, "rb").read())
    with open(os.path.join(a.root, "faults.json"), "w") as f:
        json.dump(faults, f, indent=1)
    with open(os.path.join(a.root, "expect.tsv"), "w") as f:
        for e in t.expect:
            f.write("\t".join(str(x) for x in e) + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def log_req(self, status):
        if getattr(self, "logged", False):
            return
        self.logged = True
        s = self.server
        with s.lock:
            s.logf.write("%.6f\t%s\t%s\t%s\t%s\n" % (self.t0, self.path, self.headers.get("User-Agent", ""),
                                                     status, self.headers.get("Accept-Encoding", "")))
            s.logf.flush()

    def plain(self, code, text, extra=()):
        body = text.encode()
        self.send_response(code)
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.log_req(code)

    def do_GET(self):
        s = self.server
        self.t0 = time.time()
        self.logged = False
        with s.lock:
            s.count += 1
            if s.count > s.max_requests:
                os._exit(3)
        u = urlsplit(self.path)
        path = u.path
        if not UA_OK.search(self.headers.get("User-Agent", "")):
            return self.plain(403, "Undeclared Automated Tool: declare your traffic (User-Agent)")
        kind = (parse_qs(u.query).get("fault") or [None])[0]
        rule = s.faults.get(path)
        if not kind and rule:
            with s.lock:
                n = s.hits.get(path, 0)
                s.hits[path] = n + 1
            if n < rule.get("times", 1):
                kind = rule["kind"]
        rel = os.path.normpath(path).lstrip("/")
        if not rel.split("/")[0] in ("files", "submissions", "Archives") or ".." in rel.split("/"):
            return self.plain(404, "not found")
        fp = os.path.join(s.root, rel)
        if kind in ("404", "403", "503", "429"):
            extra = [("Retry-After", str(rule.get("retry_after", 1) if rule else 1))] if kind == "429" else []
            return self.plain(int(kind), "fault " + kind, extra)
        if kind == "redirect":
            return self.plain(302, "moved", [("Location", "http://127.0.0.1:%d%s" % (s.server_port, rule["to"]))])
        if not os.path.isfile(fp):
            return self.plain(404, "not found")
        self.log_req("200-" + kind if kind else 200)
        body = open(fp, "rb").read()
        if kind == "malformed":
            body = body[: len(body) // 2]
        gz = "gzip" in self.headers.get("Accept-Encoding", "") and fp.endswith((".json", ".idx"))
        if gz:
            body = gzip.compress(body)
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        if gz:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        if kind == "reset":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return self.log_req("200-reset")
        if kind == "short":
            self.wfile.write(body[: len(body) - 1000])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return self.log_req("200-short")
        if kind == "slow":
            self.wfile.write(body[:100])
            self.wfile.flush()
            time.sleep(rule.get("stall", 4) if rule else 4)
            try:
                self.wfile.write(body[100:])
            except OSError:
                pass
            self.close_connection = True
            return self.log_req("200-slow")
        self.wfile.write(body)
        self.log_req(200)


def serve(a):
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.root = a.root
    srv.lock = threading.Lock()
    srv.logf = open(a.log, "a")
    srv.faults = json.load(open(a.faults)) if a.faults else {}
    srv.hits, srv.count, srv.max_requests = {}, 0, a.max_requests
    def stop_later():
        time.sleep(a.lifetime)
        os._exit(0)
    threading.Thread(target=stop_later, daemon=True).start()
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_port))
    os.rename(tmp, a.port_file)
    srv.serve_forever()


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("root")
    b.add_argument("--shared")
    b.add_argument("--examples")
    b.add_argument("--many", type=int, default=0)
    s = sub.add_parser("serve")
    s.add_argument("root")
    s.add_argument("--port-file", required=True)
    s.add_argument("--log", required=True)
    s.add_argument("--faults")
    s.add_argument("--lifetime", type=float, default=120)
    s.add_argument("--max-requests", type=int, default=5000)
    a = ap.parse_args()
    build(a) if a.cmd == "build" else serve(a)


if __name__ == "__main__":
    main()
