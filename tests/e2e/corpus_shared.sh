# corpus_shared.sh — rfx index over every shared filing (once, into a temp
# database all checks reuse), then: lineage of consecutive 10-K pairs equals
# rfx diff on the same pair, search hits hold their terms, a known heading
# is found by a phrase, filters narrow, Disney's seven years and Home Depot.
. "$(dirname "$0")/tap.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
F="$SHARED/data/filings"
if [ ! -x "$RFX" ]; then skip "corpus on shared filings" "no rfx binary at $RFX"; exit 0; fi
if [ ! -d "$F" ]; then skip "corpus on shared filings" "$F is absent"; exit 0; fi
if ! command -v python3 >/dev/null 2>&1; then skip "corpus on shared filings" "python3 is not installed"; exit 0; fi
DB="$T/c.db"

"$RFX" index --db "$DB" -j 2 -q "$F" 2>"$T/idx.err"
rc=$?
[ $rc -eq 0 ] && ok "index every shared filing" || notok "index every shared filing" "exit $rc: $(tail -3 "$T/idx.err")"
check "counts line: >300 added, none failed" python3 -c '
import re,sys; m=re.search(r"(\d+) added, (\d+) unchanged, (\d+) replaced, (\d+) not found, (\d+) failed", open(sys.argv[1]).read())
assert m and int(m[1])>300 and int(m[5])==0, m and m.groups()' "$T/idx.err"
"$RFX" index --db "$DB" -q "$F/HD" "$F/edgar_crawler_expected" 2>"$T/idx2.err"
grep -q ' 0 added, .* 0 replaced, .* 0 failed' "$T/idx2.err" && ok "a second index adds nothing" || notok "second index" "$(cat "$T/idx2.err")"
expect_exit "integrity_check after indexing" 0 "$RFX" index --db "$DB" --check
"$RFX" export --db "$DB" --jsonl >"$T/all.jsonl"

# lineage against rfx diff on the very files (AAPL 2006→2007 has splits,
# AMD 2022→2023 a merge)
for pair in HD/HD_10-K_FY2023.html:HD/HD_10-K_FY2024.html AMZN/AMZN_10-K_FY2023.html:AMZN/AMZN_10-K_FY2024.html \
    JNJ/JNJ_10-K_FY2023.html:JNJ/JNJ_10-K_FY2024.html TSLA/TSLA_10-K_FY2023.html:TSLA/TSLA_10-K_FY2024.html \
    AAPL/AAPL_10-K_FY2006_full-submission.txt:AAPL/AAPL_10-K_FY2007_full-submission.txt \
    AMD/AMD_10-K_FY2022.htm:AMD/AMD_10-K_FY2023.html; do
    a="$F/${pair%%:*}"; b="$F/${pair##*:}"
    [ -f "$a" ] && [ -f "$b" ] || { skip "lineage ${pair%%/*}" "$pair absent"; continue; }
    "$RFX" diff --no-classify "$a" "$b" --json >"$T/d.json" 2>/dev/null
    check "lineage of ${pair%%/*} ${a##*FY} → ${b##*FY} matches rfx diff" python3 - "$T/all.jsonl" "$T/d.json" "$a" "$b" <<'P'
import json, sys
old_p, new_p = sys.argv[3], sys.argv[4]
rows = [json.loads(l) for l in open(sys.argv[1])]
old = {r["risk_id"]: r for r in rows if r["source_path"] == old_p}
new = {r["risk_index"]: r for r in rows if r["source_path"] == new_p}
d = json.load(open(sys.argv[2]))
split_off = {n: g["old"] for g in d["splits"] for n in g["new"][1:]}  # matched partner first
merged = {g["new"] for g in d["merges"]}
n = 0
for p in d["pairs"]:
    if p["new"] is None: continue
    r = new[p["new"]]
    want, prev = p["status"], p["old"]
    if p["new"] in split_off: want, prev = "split", split_off[p["new"]]
    elif p["new"] in merged: want = "merge"
    assert r["status"] == want, (p["new"], r["status"], want)
    got_prev = old[r["prev_risk_id"]]["risk_index"] if r["prev_risk_id"] else None
    assert got_prev == prev, (p["new"], got_prev, prev)
    n += 1
assert n == len(new) and n > 10, (n, len(new))
P
done

# search: every hit holds the term; a phrase from a known heading; filters
"$RFX" search --db "$DB" cybersecurity --limit 50 --json >"$T/s.json"
check "every hit of 'cybersecurity' contains it (heading or body)" python3 - "$T/all.jsonl" "$T/s.json" <<'P'
import json, sys
rows = {json.loads(l)["risk_id"]: json.loads(l) for l in open(sys.argv[1])}
h = json.load(open(sys.argv[2]))["hits"]
assert len(h) == 50
for x in h:
    r = rows[x["risk_id"]]
    assert "cybersecurit" in (r["heading"] + r["body"]).lower(), r["heading"]
P
"$RFX" search --db "$DB" '"electronically stored data is costly"' --company disney --json >"$T/p.json"
check "a phrase from Disney's data-protection heading finds it each year" python3 -c '
import json,sys; h=json.load(open(sys.argv[1]))["hits"]
assert len(h)>=5 and all("electronically stored data is costly" in x["heading"] for x in h), len(h)' "$T/p.json"
"$RFX" search --db "$DB" 'pandemic OR covid*' --limit 1000 --jsonl >"$T/p0"
"$RFX" search --db "$DB" 'pandemic OR covid*' --limit 1000 --year 2020..2022 --jsonl >"$T/p1"
"$RFX" search --db "$DB" 'pandemic OR covid*' --limit 1000 --form 10-Q --jsonl >"$T/p2"
"$RFX" search --db "$DB" 'pandemic OR covid*' --limit 1000 --company nuance --jsonl >"$T/p3"
check "filters narrow: year, form, company" python3 - "$T/p0" "$T/p1" "$T/p2" "$T/p3" <<'P'
import json, sys
a, y, f, c = ([json.loads(l) for l in open(p)] for p in sys.argv[1:5])
ids = {x["risk_id"] for x in a}
assert len(a) > len(y) > 0 and len(a) > len(c) > 0 and len(a) > len(f) > 0, (len(a), len(y), len(f), len(c))
assert all(x["risk_id"] in ids for x in y + f + c)
assert all(2020 <= x["fiscal_year"] <= 2022 for x in y)
assert all(x["form"] == "10-Q" for x in f)
assert all("NUANCE" in x["company"].upper() for x in c)
P

# history: Disney's seven years, Home Depot by ticker
"$RFX" history --db "$DB" disney --json >"$T/dis.json"
check "Disney: seven 10-Ks FY2012-2018, every risk accounted for" python3 - "$T/dis.json" <<'P'
import json, sys
h = json.load(open(sys.argv[1]))
f = h["filings"]
assert [x["fiscal_year"] for x in f] == list(range(2012, 2019)), [x["fiscal_year"] for x in f]
for x in f[1:]:
    c = x["counts"]
    assert sum(c[k] for k in ("unchanged", "modified", "moved", "added", "split", "merge")) == x["risks"], x
assert f[0]["counts"]["first_seen"] == f[0]["risks"]
long = [l for l in h["lineages"] if l["first_year"] == 2012 and l["last_year"] == 2018]
assert len(long) >= 5, len(long)
P
"$RFX" history --db "$DB" HD --json >"$T/hd.json"
check "Home Depot (ticker HD): two 10-Ks, FY2023 and FY2024, linked" python3 -c '
import json,sys; h=json.load(open(sys.argv[1])); f=h["filings"]
assert [x["fiscal_year"] for x in f]==[2023,2024], f
c=f[1]["counts"]; assert c["unchanged"]+c["modified"]+c["moved"]>=20, c' "$T/hd.json"
"$RFX" history --db "$DB" APA --json >"$T/apa.json"
check "Apache (ticker APA, company from SOURCES.tsv): 10-Ks FY2005-2018 linked" python3 -c '
import json,sys; h=json.load(open(sys.argv[1])); f=h["filings"]
ys=[x["fiscal_year"] for x in f]
assert min(ys)==2005 and max(ys)==2018 and len(f)>=14, ys
assert sum(1 for x in f if x["counts"]["first_seen"]==0)>=12, f' "$T/apa.json"
"$RFX" history --db "$DB" disney >"$T/dis.txt"
grep -q '2012–2018' "$T/dis.txt" && ok "history table names lineages by year span" || notok "history table"
"$RFX" stats --db "$DB" --csv >"$T/st.csv"
check "stats --csv loads: categories per year with shares" python3 -c '
import csv,sys; r=list(csv.DictReader(open(sys.argv[1],newline="")))
assert len(r)>20 and {"fiscal_year","category","risks","share"}<=set(r[0]), r[:2]' "$T/st.csv"
